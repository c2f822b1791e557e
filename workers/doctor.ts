import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { Config } from '../config';
import type { caseDoctorWorkflow } from '../workflows/doctor';

export const DOCTOR_WORKFLOW_ID = 'case-doctor';

/**
 * Starts the case doctor (workflows/doctor.ts) unless it runs already: every worker process asks,
 * one doctor runs per namespace, and whichever worker is up runs its rounds.
 */
export async function ensureCaseDoctor(client: Client, config: Config, taskQueue: string): Promise<void> {
  if (config.CASE_DOCTOR_EVERY_S <= 0) return;
  await client.workflow.start<typeof caseDoctorWorkflow>('caseDoctorWorkflow', {
    workflowId: DOCTOR_WORKFLOW_ID,
    taskQueue,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [
      {
        everyMs: config.CASE_DOCTOR_EVERY_S * 1000,
        minAttempts: config.CASE_DOCTOR_MIN_ATTEMPTS,
        maxResets: 3,
        scanAll: false,
      },
    ],
  });
}
