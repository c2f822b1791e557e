export { complaintWorkflow } from './complaint';
export { complaintGroupWorkflow } from './group';
