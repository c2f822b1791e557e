import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { SUPPLIER_WATCH_ID, type supplierWatchWorkflow } from '../workflows/supplierWatch';

/** Starts the supplier watch (workflows/supplierWatch.ts) unless it runs already: one per namespace, like the calendar watch. */
export async function ensureSupplierWatch(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.start<typeof supplierWatchWorkflow>('supplierWatchWorkflow', {
    workflowId: SUPPLIER_WATCH_ID,
    taskQueue,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{}],
  });
}
