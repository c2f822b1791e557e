import { onCallAt } from '../shared/escalation';
import type { Case } from './case';
import { onTheClock } from './deadlines';
import { notifyStaff } from './messaging';

/** §2 table and §3: a crisis is told at once, day or night, to the operations manager on call and to legal and PR. */
const SPEC_ALSO_TELL = ['legal', 'pr'];

export function alertCrisis(c: Case): void {
  if (!onTheClock(c, 'handling')) return;
  const onCall = onCallAt(c.policy.crisis?.onCall, Date.now());
  const reasons = c.view.priorityReasons.join(', ');
  for (const to of [onCall, ...(c.policy.crisis?.alsoTell ?? SPEC_ALSO_TELL)]) {
    c.track(notifyStaff(c, to, 'crisis_opened', `${c.view.complaintId}: crisis case opened (${reasons}); handle it now, day or night`));
  }
}
