import { onCallAt } from '../shared/escalation';
import { type Case, SYSTEM } from './case';
import { onTheClock } from './deadlines';
import { notifyStaff } from './messaging';

/**
 * Who must hear of a case the moment it opens, whatever the hour: a crisis reaches the operations
 * manager on call, legal and PR (docs/domain.md §5.4); a compliance case opens a compliance review (§2.5).
 */

const SPEC_ALSO_TELL = ['legal', 'pr'];

export function alertCrisis(c: Case): void {
  if (!onTheClock(c, 'handling')) return;
  const onCall = onCallAt(c.policy.crisis?.onCall, Date.now());
  const reasons = c.view.priorityReasons.join(', ');
  for (const to of [onCall, ...(c.policy.crisis?.alsoTell ?? SPEC_ALSO_TELL)]) {
    c.track(notifyStaff(c, to, 'crisis_opened', `${c.view.complaintId}: crisis case opened (${reasons}); handle it now, day or night`));
  }
}

/** docs/domain.md §2.5: a compliance case always opens a compliance review first: compliance hears of it now, not at the proposal. */
export function openComplianceReview(c: Case): void {
  c.log(SYSTEM, 'compliance_review_opened', { category: c.view.category, subType: c.view.subType });
  c.track(notifyStaff(c, 'compliance', 'compliance_review', `${c.view.complaintId}: compliance review (${c.view.subType}); the case waits on your findings before any decision`));
}
