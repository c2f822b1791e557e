import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { CaseViewV1 } from '../shared/caseView';
import { departmentOf } from '../shared/departments';
import { SA } from '../shared/searchAttributes';
import type { ChangePriorityV1, MarkUpsetV1, ReclassifyV1 } from '../shared/commands';
import { type Acting, changePriorityUpdate, markUpsetUpdate, reclassifyUpdate } from '../shared/messages';
import { type Case, refuse } from './case';
import { caseAction, registerTable, requireOpen, requireOwner } from './guards';
import { openComplianceReview, routeToDepartment } from './alertAtOnce';
import { PATCHES } from './patches';
import { categoryTargetMs, startBackgroundWait, startRoutineTarget } from './stages';

/**
 * Staff correct the machine (docs/domain.md §2.1, §2.3): an agent the category the keywords suggested, a supervisor
 * the priority, each with a reason in the timeline. The deadlines that depend on them read the case
 * as it is now, so they move at once: the handling and proposal windows follow the priority, the
 * category target follows the category (and starts, or ends as cancelled, with it).
 */

function mayReclassify(c: Case, { category, subType, actor }: Acting<ReclassifyV1>): void {
  requireOwner(c, actor);
  if (category === c.view.category && subType === c.view.subType)
    refuse('wrong_stage', `${c.view.complaintId} is already ${category}/${subType}`);
  // docs/domain.md §7.5: a compliance case is decided by compliance; its own agent taking it out would also take it past their approval.
  if (c.view.category === 'compliance' && category !== 'compliance' && actor.role === 'agent')
    refuse(
      'forbidden',
      `${c.view.complaintId} is a compliance case: a supervisor or above takes it out of compliance review`,
    );
}

function reclassified(c: Case, { category, subType, reason, actor }: Acting<ReclassifyV1>): CaseViewV1 {
  const from = { category: c.view.category, subType: c.view.subType };
  c.view.category = category;
  c.view.subType = subType;
  c.audit(actor, 'reclassified', { from, to: { category, subType }, reason });
  // Ops filter by category in Temporal Web UI; older runs left the opening's value there (patch).
  if (patched(PATCHES.complianceReviewFirst.id)) {
    upsertSearchAttributes([{ key: SA.category, value: category }]);
    if (category === 'compliance') openComplianceReview(c);
  }
  // docs/domain.md §6.5: the department follows the category; the new one is told. Older runs kept the opening's routing (patch).
  if (c.features.departments && departmentOf(category, c.policy.departments) !== (c.view.department ?? null)) {
    routeToDepartment(c, category === 'compliance' && patched(PATCHES.complianceReviewFirst.id) ? ['compliance'] : []);
    upsertSearchAttributes([{ key: SA.department, value: c.view.department ?? null }]);
  }
  if (categoryTargetMs(c) !== null && !c.backgroundWaits.has('category_target'))
    startBackgroundWait(c, 'category_target');
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
  c.audit(actor, 'priority_changed', { from, to: priority, reason });
  startRoutineTarget(c);
  return c.view;
}

/** The priority reason an agent's mark leaves (docs/domain.md §2.2): the case shows who marked it. */
export const UPSET_REASON = 'extremely_upset:';

function mayMarkUpset(c: Case, { actor }: Acting<MarkUpsetV1>): void {
  requireOwner(c, actor);
  if (c.view.priorityReasons.some((r) => r.startsWith(UPSET_REASON)))
    refuse('wrong_stage', `${c.view.complaintId} is already marked extremely upset`);
}

/**
 * docs/domain.md §2.2: an extremely upset customer makes the case high priority, with what high brings: the
 * 2 h handling and proposal windows, the owner's text on a miss, the satisfaction callback within 24 h.
 */
function markedUpset(c: Case, { reason, actor }: Acting<MarkUpsetV1>): CaseViewV1 {
  const from = c.view.priority;
  c.view.priority = 'high';
  c.view.priorityReasons.push(`${UPSET_REASON}${actor.sub}`);
  c.audit(actor, 'marked_extremely_upset', { from, to: 'high', reason });
  return c.view;
}

const OVERRIDES = [
  caseAction({ update: reclassifyUpdate, guard: mayReclassify, handle: reclassified }),
  caseAction({ update: changePriorityUpdate, guard: mayChangePriority, handle: priorityChanged }),
  caseAction({ update: markUpsetUpdate, guard: mayMarkUpset, handle: markedUpset }),
];

export function registerOverrides(c: Case): void {
  registerTable(c, {}, OVERRIDES);
}
