export { complaintWorkflow } from './complaint';
export { complaintGroupWorkflow } from './group';
export { caseDoctorWorkflow } from './doctor';
export { calendarWatchWorkflow } from './calendarWatch';
