import { setHandler } from '@temporalio/workflow';
import { type CaseAction, roleMayAct } from '../shared/access';
import type { ChangePriorityV1, ReclassifyV1 } from '../shared/commands';
import type { Actor } from '../shared/intake';
import { type Acting, changePriorityUpdate, reclassifyUpdate } from '../shared/messages';
import { type Case, refuse } from './case';
import { categoryTargetMs, startBackgroundWait } from './stages';

/**
 * Staff correct the machine (issue 18): an agent the category the keywords suggested, a supervisor
 * the priority, each with a reason in the timeline. The deadlines that depend on them read the case
 * as it is now, so they move at once: the handling and proposal windows follow the priority, the
 * category target follows the category (and starts, or ends as cancelled, with it).
 */

function staffOpen(c: Case, actor: Actor, action: CaseAction): void {
  if (!roleMayAct(actor.role, action)) refuse('forbidden', `a ${actor.role} may not ${action}`);
  if (c.closed) refuse('case_closed', `${c.view.complaintId} is closed`);
}

export function registerOverrides(c: Case): void {
  setHandler(reclassifyUpdate, ({ category, subType, reason, actor }) => {
    const from = { category: c.view.category, subType: c.view.subType };
    c.view.category = category;
    c.view.subType = subType;
    c.log(actor, 'reclassified', { from, to: { category, subType }, reason });
    if (categoryTargetMs(c) !== null && !c.backgroundWaits.has('category_target')) startBackgroundWait(c, 'category_target');
    return c.view;
  }, {
    validator: ({ category, subType, actor }: Acting<ReclassifyV1>) => {
      staffOpen(c, actor, 'reclassify.v1');
      if (actor.role === 'agent' && c.view.owner !== actor.sub) refuse('not_owner', `${c.view.complaintId} is owned by ${c.view.owner ?? 'nobody'}`);
      if (category === c.view.category && subType === c.view.subType) refuse('wrong_stage', `${c.view.complaintId} is already ${category}/${subType}`);
    },
  });

  setHandler(changePriorityUpdate, ({ priority, reason, actor }) => {
    const from = c.view.priority;
    c.view.priority = priority;
    c.view.priorityReasons.push(`set_by_${actor.role}:${actor.sub}`);
    c.log(actor, 'priority_changed', { from, to: priority, reason });
    return c.view;
  }, {
    validator: ({ priority, actor }: Acting<ChangePriorityV1>) => {
      staffOpen(c, actor, 'changePriority.v1');
      if (priority === c.view.priority) refuse('wrong_stage', `${c.view.complaintId} is already ${priority} priority`);
    },
  });
}
