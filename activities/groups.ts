import type { Client } from '@temporalio/client';
import { groupWorkflowId } from '../shared/identity';
import { groupMemberSignal } from '../shared/messages';

/**
 * The group-complaint rule's counters: one small long-running workflow per merchant and per
 * product, started on first use (signal-with-start), so cases learn of each other without polling.
 */
export function createGroupActivities(deps: { client: Client; taskQueue: string }) {
  return {
    async joinComplaintGroups(input: {
      complaintId: string;
      merchantId: string;
      sku: string;
      openedAt: string;
      threshold: number;
      windowMs: number;
    }): Promise<void> {
      const member = {
        complaintId: input.complaintId,
        openedAt: input.openedAt,
        threshold: input.threshold,
        windowMs: input.windowMs,
      };
      for (const [kind, key] of [
        ['merchant', input.merchantId],
        ['sku', input.sku],
      ] as const) {
        const workflowId = groupWorkflowId(kind, key);
        await deps.client.workflow.signalWithStart('complaintGroupWorkflow', {
          workflowId,
          taskQueue: deps.taskQueue,
          args: [{ groupKey: `${kind}:${key}` }],
          signal: groupMemberSignal,
          signalArgs: [member],
          staticSummary: `complaint group for ${kind} ${key}`,
        });
      }
    },
  };
}

export type GroupActivities = ReturnType<typeof createGroupActivities>;
