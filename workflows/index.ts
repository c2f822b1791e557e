export { complaintWorkflow } from './complaint';
export { complaintGroupWorkflow } from './group';
export { caseDoctorWorkflow } from './doctor';
export { policyRolloutWorkflow } from './policyRollout';
export { calendarWatchWorkflow } from './calendarWatch';
export { supplierWatchWorkflow } from './supplierWatch';
export { trustFixWorkflow } from './trustFix';
