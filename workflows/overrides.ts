import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { CaseViewV1 } from '../shared/caseView';
import { SA } from '../shared/searchAttributes';
import type { ChangePriorityV1, ReclassifyV1 } from '../shared/commands';
import { type Acting, changePriorityUpdate, reclassifyUpdate } from '../shared/messages';
import { type Case, refuse } from './case';
import { caseAction, registerTable, requireOpen, requireOwner } from './guards';
import { openComplianceReview } from './alertAtOnce';
import { PATCHES } from './patches';
import { categoryTargetMs, startBackgroundWait } from './stages';

/**
 * Staff correct the machine (docs/domain.md §2.1, §2.3): an agent the category the keywords suggested, a supervisor
 * the priority, each with a reason in the timeline. The deadlines that depend on them read the case
 * as it is now, so they move at once: the handling and proposal windows follow the priority, the
 * category target follows the category (and starts, or ends as cancelled, with it).
 */

function mayReclassify(c: Case, { category, subType, actor }: Acting<ReclassifyV1>): void {
  requireOwner(c, actor);
  if (category === c.view.category && subType === c.view.subType) refuse('wrong_stage', `${c.view.complaintId} is already ${category}/${subType}`);
  // docs/domain.md §7.5: a compliance case is decided by compliance; its own agent taking it out would also take it past their approval.
  if (c.view.category === 'compliance' && category !== 'compliance' && actor.role === 'agent')
    refuse('forbidden', `${c.view.complaintId} is a compliance case: a supervisor or above takes it out of compliance review`);
}

function reclassified(c: Case, { category, subType, reason, actor }: Acting<ReclassifyV1>): CaseViewV1 {
  const from = { category: c.view.category, subType: c.view.subType };
  c.view.category = category;
  c.view.subType = subType;
  c.log(actor, 'reclassified', { from, to: { category, subType }, reason });
  // Ops filter by category in Temporal Web UI; older runs left the opening's value there (patch).
  if (patched(PATCHES.complianceReviewFirst.id)) {
    upsertSearchAttributes([{ key: SA.category, value: category }]);
    if (category === 'compliance') openComplianceReview(c);
  }
  if (categoryTargetMs(c) !== null && !c.backgroundWaits.has('category_target')) startBackgroundWait(c, 'category_target');
  return c.view;
}

function mayChangePriority(c: Case, { priority }: Acting<ChangePriorityV1>): void {
  requireOpen(c);
  if (priority === c.view.priority) refuse('wrong_stage', `${c.view.complaintId} is already ${priority} priority`);
}

function priorityChanged(c: Case, { priority, reason, actor }: Acting<ChangePriorityV1>): CaseViewV1 {
  const from = c.view.priority;
  c.view.priority = priority;
  c.view.priorityReasons.push(`set_by_${actor.role}:${actor.sub}`);
  c.log(actor, 'priority_changed', { from, to: priority, reason });
  return c.view;
}

const OVERRIDES = [
  caseAction({ update: reclassifyUpdate, guard: mayReclassify, handle: reclassified }),
  caseAction({ update: changePriorityUpdate, guard: mayChangePriority, handle: priorityChanged }),
];

export function registerOverrides(c: Case): void {
  registerTable(c, {}, OVERRIDES);
}
