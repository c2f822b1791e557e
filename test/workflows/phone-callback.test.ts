import { markUpsetUpdate, phoneCallbackUpdate } from '../../shared/messages';
import { agent, supervisor } from '../support/cases';
import { type Harness, startHarness } from '../../dev/stack/harness';
import {
  HOUR,
  MINUTE,
  breachOf,
  briefed,
  customerTemplates,
  deadline,
  eventually,
  hasDeadline,
  policyAt,
  propose,
  refusal,
  settle,
  slaEvents,
  sleepUntil,
  staffAlertsTo,
} from './helpers';

/**
 * docs/domain.md §9.4, the phone callback. The figures are the domain's, written here: a high-priority
 * customer (an extremely upset one is high: docs/domain.md §2.2) is phoned back by a person within 24 h of
 * the execution; the outcome is recorded (reached or not, the rating 1–5, notes); the SMS callback
 * (12 h after execution for high priority: docs/domain.md §9.2) is the fallback, at once when the call did
 * not reach the customer. A miss climbs the call's own ladder, agent then supervisor (docs/domain.md §5.1).
 * A rating of 2 or less reopens, whoever took it (docs/domain.md §9.3).
 */

const CALL_WITHIN = 24 * HOUR;
const SMS_CALLBACK_HIGH = 12 * HOUR;

let h: Harness;
beforeEach(async () => {
  h = await startHarness('phone-callback');
});
afterEach(async () => {
  await h?.close();
});

const at = (iso: string | null | undefined) => Date.parse(iso ?? '');

/** A high-priority case whose solution was executed: the objection window runs. */
async function executedHigh(priority: 'high' | 'medium' = 'high') {
  const c = await briefed(h, { policy: await policyAt(h, 10), priority });
  await propose(c, { type: 'refund', amountFen: 1_000 });
  const v = await settle(c, (x) => x.status === 'awaiting_customer', 'the objection window');
  return { c, executed: at(v.resolution.executedAt) };
}

it('an extremely upset customer gets a call task due 24 h after execution; reached with a 5, the rating closes the case and no SMS callback goes', async () => {
  const c = await briefed(h, {
    policy: await policyAt(h, 10),
    priority: 'medium',
    priorityReasons: ['sub_type:quality_defect'],
  });
  await c.handle.executeUpdate(markUpsetUpdate, {
    args: [{ reason: 'Crying on the phone about the burnt kettle', actor: agent }],
  });
  await propose(c, { type: 'refund', amountFen: 1_000 });
  const v0 = await settle(c, hasDeadline('phone_callback'), 'the call task');
  const executed = at(v0.resolution.executedAt);
  expect(at(v0.phoneCallback?.dueAt)).toBe(executed + CALL_WITHIN);
  expect(at(deadline(v0, 'phone_callback')?.dueAt)).toBe(executed + CALL_WITHIN);
  expect(v0.phoneCallback?.outcome).toBeNull();

  await sleepUntil(h, executed + 2 * HOUR);
  const recorded = await c.handle.executeUpdate(phoneCallbackUpdate, {
    args: [{ reached: true, rating: 5, notes: 'Happy with the refund', actor: agent }],
  });
  expect(recorded.phoneCallback?.outcome).toMatchObject({
    reached: true,
    rating: 5,
    notes: 'Happy with the refund',
    by: agent.sub,
  });
  expect(recorded.satisfaction.rating).toBe(5);
  const closed = await settle(c, (x) => x.status === 'closed', "closed on the call's rating");
  expect(closed.closeReason).toBe('resolved');
  // The rating counts like an SMS callback's: in the round's answers, which the reports read.
  expect(closed.satisfaction.rounds.map((r) => [r.round, r.rating])).toEqual([[1, 5]]);
  expect((await slaEvents(c)).filter((e) => e.kind === 'phone_callback').map((e) => e.event)).toEqual([
    'activated',
    'met',
  ]);
  expect(await customerTemplates(h, c.input.complaintId)).not.toContain('satisfaction_callback');
});

it('a call that did not reach the customer sends the SMS callback at once, not 12 h after execution; a second outcome is refused', async () => {
  const { c, executed } = await executedHigh();
  await sleepUntil(h, executed + HOUR);
  const recorded = await c.handle.executeUpdate(phoneCallbackUpdate, {
    args: [{ reached: false, notes: 'No answer twice', actor: agent }],
  });
  const notReachedAt = at(recorded.phoneCallback?.outcome?.at);
  const sms = await settle(c, (x) => x.satisfaction.callbackSentAt !== null, 'the SMS fallback');
  expect(at(sms.satisfaction.callbackSentAt) - notReachedAt).toBeLessThan(MINUTE);
  expect(at(sms.satisfaction.callbackSentAt)).toBeLessThan(executed + SMS_CALLBACK_HIGH);
  expect(await customerTemplates(h, c.input.complaintId)).toContain('satisfaction_callback');
  expect(
    await refusal(c.handle.executeUpdate(phoneCallbackUpdate, { args: [{ reached: true, rating: 4, actor: agent }] })),
  ).toBe('wrong_stage');
});

it('a call nobody records: the SMS callback goes at 12 h, the call is missed at 24 h and climbs to the supervisor, who records it; a 2 reopens', async () => {
  const { c, executed } = await executedHigh();
  const id = c.input.complaintId;
  await sleepUntil(h, executed + SMS_CALLBACK_HIGH + MINUTE);
  const sms = await settle(c, (x) => x.satisfaction.callbackSentAt !== null, 'the SMS callback at 12 h');
  expect(at(sms.satisfaction.callbackSentAt) - executed).toBeGreaterThanOrEqual(SMS_CALLBACK_HIGH);

  await sleepUntil(h, executed + CALL_WITHIN + MINUTE);
  const missed = await settle(c, (x) => breachOf(x, 'phone_callback').length === 1, 'the call missed');
  expect(breachOf(missed, 'phone_callback')[0]).toMatchObject({
    dueAt: new Date(executed + CALL_WITHIN).toISOString(),
    escalatedTo: 'supervisor',
  });
  await eventually(
    () => staffAlertsTo(h, id, 'supervisor'),
    (a) => a.some((x) => x.template === 'staff:phone_callback_breached'),
    'the supervisor told of the missed call',
  );

  await c.handle.executeUpdate(phoneCallbackUpdate, {
    args: [{ reached: true, rating: 2, notes: 'Still unhappy: the refund was too small', actor: supervisor }],
  });
  const reopened = await settle(c, (x) => x.round === 2, 'the second round');
  expect(reopened.satisfaction.rounds.map((r) => [r.round, r.rating])).toEqual([[1, 2]]);
  expect(reopened.deadlines.some((d) => d.kind === 'phone_callback')).toBe(false);
});

it('a medium case owes no call: no call task, and an outcome is refused', async () => {
  const { c } = await executedHigh('medium');
  const v = await settle(c, hasDeadline('objection_window'), 'the objection window');
  expect(v.phoneCallback ?? null).toBeNull();
  expect(hasDeadline('phone_callback')(v)).toBe(false);
  expect(await refusal(c.handle.executeUpdate(phoneCallbackUpdate, { args: [{ reached: false, actor: agent }] }))).toBe(
    'wrong_stage',
  );
});
