import { patched } from '@temporalio/workflow';
import type { CaseViewV1 } from '../shared/caseView';
import type { PhoneCallbackV1 } from '../shared/commands';
import { type Acting, phoneCallbackUpdate } from '../shared/messages';
import { tellDepartment } from './alertAtOnce';
import { type Case, SYSTEM, nowIso, refuse } from './case';
import { caseAction, registerTable, requireOwner } from './guards';
import { recordRating } from './actions';
import { PATCHES } from './patches';
import { phoneCallOf } from './stages';

/**
 * docs/domain.md §9.4: the person who phoned a high-priority customer back records the outcome: reached with the
 * customer's rating (which counts as the round's satisfaction rating, like the SMS callback's) or not
 * reached (the SMS callback then goes at once), with notes.
 */

function mayRecordCall(c: Case, { actor }: Acting<PhoneCallbackV1>): void {
  requireOwner(c, actor);
  const call = phoneCallOf(c);
  if (!call) refuse('wrong_stage', `${c.view.complaintId} owes no phone callback now`);
  if (call.outcome) refuse('wrong_stage', `the phone callback of ${c.view.complaintId} was already recorded`);
  // The customer who already rated this round (the SMS callback) has answered: the call is no longer owed.
  if (c.view.satisfaction.rating !== null)
    refuse('wrong_stage', `the customer of ${c.view.complaintId} already rated this round`);
}

function callRecorded(c: Case, { reached, rating, notes, suggestion, actor }: Acting<PhoneCallbackV1>): CaseViewV1 {
  const call = phoneCallOf(c)!;
  call.outcome = {
    reached,
    rating: reached ? (rating ?? null) : null,
    notes: notes ?? null,
    ...(suggestion !== undefined && { suggestion }),
    by: actor.sub,
    at: nowIso(),
  };
  c.audit(actor, 'phone_callback_recorded', { reached, rating: call.outcome.rating });
  if (suggestion !== undefined) forwardSuggestion(c, suggestion);
  // The notes are staff's: the rating carries no comment of the customer's.
  if (reached && rating !== undefined) recordRating(c, actor, rating, null, 'phone');
  else c.touch();
  return c.view;
}

/**
 * docs/domain.md §9.4: a suggestion the customer made on the call goes to the department the case is routed to; a
 * case customer service handles alone keeps it on the call's record for its owner.
 */
function forwardSuggestion(c: Case, suggestion: string): void {
  const department = c.view.department ?? null;
  if (department === null) return;
  c.audit(SYSTEM, 'callback_suggestion_forwarded', { department });
  // The department's, not the open case's: a rating that closes the case must not drop it while it waits for service hours.
  const outlivesClose = patched(PATCHES.suggestionOutlivesClose.id);
  tellDepartment(
    c,
    department,
    'callback_suggestion',
    `${c.view.complaintId}: on the phone callback the customer suggested: ${suggestion}`,
    [],
    outlivesClose ? () => true : undefined,
  );
}

const PHONE_CALLBACK = [caseAction({ update: phoneCallbackUpdate, guard: mayRecordCall, handle: callRecorded })];

export function registerPhoneCallback(c: Case): void {
  registerTable(c, {}, PHONE_CALLBACK);
}
