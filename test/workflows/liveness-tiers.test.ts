import { assignUpdate, briefUpdate, firstResponseUpdate, markUpsetUpdate } from '../../shared/messages';
import type { SlaPolicy } from '../../shared/policy';
import { type CaseOptions, type OpenedCase, agent, openCase } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  HOUR,
  MINUTE,
  breachOf,
  deadline,
  eventually,
  hasDeadline,
  localClockMs,
  plusServiceTime,
  policyAt,
  propose,
  quiet,
  settle,
  slaEvents,
  sleepUntil,
  staffAlerts,
  staffAlertsTo,
  timeline,
} from './helpers';

/**
 * docs/domain.md §2.2, what each priority tier does beyond its handling window. The figures are
 * docs/domain.md's, written here: medium ("serious") involves the supervisor when the case opens; low
 * ("routine") is settled by the frontline within 30 min of an agent taking it, in service time
 * (09:00–21:00), climbing its own ladder when missed; an agent marking a customer extremely upset
 * makes the case high, and a high case's satisfaction callback comes 12 h after execution (docs/domain.md §9.2).
 */

const ROUTINE_TARGET = 30 * MINUTE;

const h = useWorkflowHarness('liveness-tiers', { each: true });

/** A routine case (docs/domain.md §2.2): a low-priority policy question. */
const ROUTINE: CaseOptions = { priority: 'low', priorityReasons: [], category: 'other', subType: 'policy_question' };

/** A routine case opened under `policy` and taken by the agent, which starts its routine target. */
async function takenRoutineCase(policy: SlaPolicy): Promise<OpenedCase> {
  const c = await openCase(h, { policy, ...ROUTINE });
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  return c;
}

/** The owner answers with `message`, closes the investigation and proposes a coupon. */
async function answerAndPropose(c: OpenedCase, message: string): Promise<void> {
  await c.handle.executeUpdate(firstResponseUpdate, { args: [{ message, requestEvidence: false, actor: agent }] });
  await c.handle.executeUpdate(briefUpdate, {
    args: [{ responsibility: 'platform', findings: 'The invoice link was hidden', actor: agent }],
  });
  await propose(c, { type: 'coupon', couponFen: 500 });
}

/** When the case was taken, from its audit log. */
async function takenAt(c: OpenedCase): Promise<number> {
  const entry = (await timeline(c)).find((e) => e.action === 'assigned');
  if (!entry) throw new Error('the case was not taken');
  return Date.parse(entry.at);
}

it('a medium case involves the supervisor when it opens, not only at a miss; a low case does not', async () => {
  const policy = await policyAt(h, 10);
  const medium = await openCase(h, { policy, priority: 'medium', priorityReasons: ['sub_type:quality_defect'] });
  const low = await openCase(h, { policy, ...ROUTINE });
  await eventually(
    () => staffAlertsTo(h, medium.input.complaintId, 'supervisor'),
    (a) => a.some((x) => x.template === 'staff:medium_opened'),
    'the supervisor told of the medium case',
  );
  // Told at opening: no deadline of the case has been missed.
  expect((await settle(medium, hasDeadline('handling'))).breaches).toEqual([]);

  await quiet(low);
  expect((await staffAlerts(h, low.input.complaintId)).map((a) => a.template)).not.toContain('staff:medium_opened');
}, 120_000);

it('a routine case taken at 10:00 is due 30 min later; left alone, the miss climbs to the supervisor', async () => {
  const policy = await policyAt(h, 10);
  const c = await takenRoutineCase(policy);
  const v = await settle(c, hasDeadline('routine_handling'), 'the routine target');
  const taken = await takenAt(c);
  expect(Date.parse(deadline(v, 'routine_handling')!.dueAt)).toBe(
    plusServiceTime(taken, ROUTINE_TARGET, policy.calendar.timeZone),
  );

  await sleepUntil(h, taken + ROUTINE_TARGET + MINUTE);
  const missed = await settle(c, (x) => breachOf(x, 'routine_handling').length === 1, 'the routine target missed');
  expect(breachOf(missed, 'routine_handling')[0].escalatedTo).toBe('supervisor');
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, 'supervisor'),
    (a) => a.some((x) => x.template === 'staff:routine_handling_breached'),
    'the supervisor told of the miss',
  );
}, 120_000);

it('a routine case taken at 20:50 has 10 min left that evening and the rest from 09:00 (service time)', async () => {
  const policy = await policyAt(h, 20);
  const tz = policy.calendar.timeZone;
  const now = await h.env.currentTimeMs();
  await sleepUntil(h, now - localClockMs(now, tz) + 20 * HOUR + 50 * MINUTE);
  const c = await takenRoutineCase(policy);
  const v = await settle(c, hasDeadline('routine_handling'), 'the routine target');
  const taken = await takenAt(c);
  const due = Date.parse(deadline(v, 'routine_handling')!.dueAt);
  expect(due).toBe(plusServiceTime(taken, ROUTINE_TARGET, tz));
  // Past 21:00 that evening: the next morning.
  expect(localClockMs(due, tz)).toBeLessThan(10 * HOUR);
  expect(due - taken).toBeGreaterThan(12 * HOUR);
}, 120_000);

it("the owner's proposal meets the routine target; a medium case taken has none", async () => {
  const policy = await policyAt(h, 10);
  const c = await takenRoutineCase(policy);
  await answerAndPropose(c, 'The invoice is in your order page.');
  await settle(c, (x) => !hasDeadline('routine_handling')(x), 'the routine target ended');
  const facts = (await slaEvents(c)).filter((e) => e.kind === 'routine_handling').map((e) => e.event);
  expect(facts).toEqual(['activated', 'met']);

  const medium = await openCase(h, { policy, priority: 'medium', priorityReasons: ['sub_type:quality_defect'] });
  await medium.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  await quiet(medium);
  expect((await slaEvents(medium)).some((e) => e.kind === 'routine_handling')).toBe(false);
}, 120_000);

it('an agent marks the customer extremely upset: the case turns high, the routine target ends, the callback comes 12 h after execution', async () => {
  const policy = await policyAt(h, 10);
  const c = await takenRoutineCase(policy);
  await settle(c, hasDeadline('routine_handling'), 'the routine target');
  const marked = await c.handle.executeUpdate(markUpsetUpdate, {
    args: [{ reason: 'Shouting on the phone, threatens to cancel every order', actor: agent }],
  });
  expect(marked.priority).toBe('high');
  expect(marked.priorityReasons).toContain(`extremely_upset:${agent.sub}`);
  await settle(c, (x) => !hasDeadline('routine_handling')(x), 'the routine target ended');
  expect((await slaEvents(c)).filter((e) => e.kind === 'routine_handling').map((e) => e.event)).toEqual([
    'activated',
    'cancelled',
  ]);

  await answerAndPropose(c, 'We are sorry; we are on it now.');
  const executed = Date.parse(
    (await settle(c, (x) => x.resolution.executedAt !== null, 'the execution')).resolution.executedAt!,
  );
  await sleepUntil(h, executed + 12 * HOUR + MINUTE);
  const called = await settle(c, (x) => x.satisfaction.callbackSentAt !== null, 'the satisfaction callback');
  const sent = Date.parse(called.satisfaction.callbackSentAt!);
  expect(sent).toBeGreaterThanOrEqual(executed + 12 * HOUR);
  expect(sent).toBeLessThan(executed + 12 * HOUR + MINUTE);
}, 120_000);
