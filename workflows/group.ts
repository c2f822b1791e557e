import { condition, continueAsNew, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { type GroupMemberV1, groupFlaggedSignal, groupMemberSignal } from '../shared/messages';
import type { NotificationActivities } from '../activities/notifications';

/**
 * The group-complaint rule (spec §2): counts the recent complaints about one merchant or product;
 * when a window holds the threshold, every open case of the group turns high priority and a
 * supervisor is told. Ends when its window is empty; the next complaint starts it again.
 */

const { notifyStaff } = proxyActivities<Pick<NotificationActivities, 'notifyStaff'>>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 20 } });

export interface GroupState {
  groupKey: string;
  members?: GroupMemberV1[];
  flagged?: string[];
}

export async function complaintGroupWorkflow(state: GroupState): Promise<void> {
  const members: GroupMemberV1[] = state.members ?? [];
  const flagged = new Set(state.flagged ?? []);
  let arrived = 0;
  setHandler(groupMemberSignal, (m) => {
    if (!members.some((x) => x.complaintId === m.complaintId)) members.push(m);
    arrived++;
  });

  for (;;) {
    const seen = arrived;
    const windowMs = members.at(-1)?.windowMs ?? 0;
    const recent = members.filter((m) => Date.parse(m.openedAt) > Date.now() - m.windowMs);
    members.splice(0, members.length, ...recent);
    const threshold = members.at(-1)?.threshold ?? Infinity;
    if (members.length >= threshold) {
      const fresh = members.filter((m) => !flagged.has(m.complaintId));
      for (const m of fresh) {
        flagged.add(m.complaintId);
        // A case closed meanwhile cannot be signalled; it no longer needs the flag.
        await getExternalWorkflowHandle(m.complaintId).signal(groupFlaggedSignal, { groupKey: state.groupKey, count: members.length }).catch(() => undefined);
      }
      if (fresh.length === members.length) {
        await notifyStaff({ complaintId: members[0].complaintId, recipient: 'supervisor', event: 'group_complaint', text: `Group complaint: ${members.length} complaints about ${state.groupKey} within the window` });
      }
    }
    if (members.length === 0 && seen === arrived) return;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof complaintGroupWorkflow>({ groupKey: state.groupKey, members, flagged: [...flagged].filter((id) => members.some((m) => m.complaintId === id)) });
    }
    const oldest = members.length ? Math.min(...members.map((m) => Date.parse(m.openedAt) + m.windowMs)) : Date.now() + windowMs;
    await condition(() => arrived !== seen, Math.max(1, oldest - Date.now()));
  }
}
