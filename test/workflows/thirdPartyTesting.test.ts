import { cancelStepUpdate, testingResultUpdate } from '../../shared/messages';
import { agent, otherAgent, sandboxRecords, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  HOUR,
  briefed,
  deadline,
  endOfWorkingDays,
  eventually,
  nextServiceOpening,
  policyAt,
  propose,
  refusal,
  settle,
  skipTo,
  solved,
  staffAlertsTo,
  timeline,
} from './helpers';

/**
 * docs/domain.md §8.6 joint third-party testing (a quality dispute): the merchant is asked to take part
 * and the customer told, in Chinese by default; the plan then waits for the lab's result, which staff
 * record. The wait has a clock (docs/domain.md §5.5): the lab's window of 10 working days (the project's
 * default; the sources give none), the owner warned once 75 % of it is used (docs/domain.md §3.2), the
 * supervisor alerted at its end (docs/domain.md §5.1). A confirmed defect sends the case back to its
 * owner for the full-responsibility solution; no defect is the solution the customer is told.
 */

const h = useWorkflowHarness('third-party-testing');

const LAB_WORKING_DAYS = 10;
const WARNING_SHARE = 0.75;
const LAB = 'SGS 上海实验室';

type Opened = Awaited<ReturnType<typeof briefed>>;

const testingWaits = (c: Opened) =>
  settle(
    c,
    (x) => x.resolution.steps.some((s) => s.name === 'third_party_testing' && s.status === 'waiting'),
    'waiting for the lab',
  );

const customerTexts = async (c: Opened, template: string) =>
  (await sandboxRecords.sms(h, c.input.complaintId)).filter((m) => m.template === template).map((m) => m.text);

const result = (defectConfirmed: boolean) => ({
  defectConfirmed,
  reportUrl: 'https://lab.example.com/reports/2026-118.pdf',
  note: defectConfirmed ? 'Seal fails the pressure test' : 'Within the standard',
});

it("waits for the lab on its window: the owner is warned at 75 %, the supervisor told at its end; no defect is the customer's solution", async () => {
  const policy = await policyAt(h, 10);
  const c = await briefed(h, { policy });
  const proposed = await propose(c, { type: 'third_party_testing', testingLab: LAB });
  // No money moves and no reputation is at stake: the agent grants it alone (docs/domain.md §7.3).
  expect(proposed.resolution.approval?.required).toBe(false);
  const v = await testingWaits(c);

  const notices = (await sandboxRecords.notices(h, c.merchant.merchantId!)).filter(
    (n) => n.complaintId === c.input.complaintId && n.kind === 'testing_request',
  );
  expect(notices).toHaveLength(1);
  expect(notices[0].text).toContain(LAB);
  expect(notices[0].text).toContain(c.input.intake.order.orderId);
  const arranged = await eventually(
    () => customerTexts(c, 'testing_arranged'),
    (t) => t.length === 1,
    'the customer told of the test',
  );
  expect(arranged[0]).toContain(`第三方检测机构 ${LAB}`);

  const clock = deadline(v, 'third_party_testing')!;
  const start = Date.parse(clock.windowStart!);
  const due = endOfWorkingDays(start, LAB_WORKING_DAYS, policy.calendar);
  expect(Date.parse(clock.dueAt)).toBe(due);
  expect(Date.parse(v.resolution.steps.find((s) => s.name === 'third_party_testing')!.dueAt!)).toBe(due);
  const warnAt = start + Math.round(WARNING_SHARE * (due - start));
  expect(Date.parse(clock.warnAt!)).toBe(warnAt);

  // The owner hears it in service hours once the warning is due; nobody is told of a miss yet.
  await skipTo(h, nextServiceOpening(warnAt, policy.calendar.timeZone) + HOUR);
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, agent.sub),
    (a) => a.some((x) => x.template === 'staff:third_party_testing_warning'),
    "the owner's warning",
  );
  const warning = (await timeline(c)).find(
    (e) => e.action === 'deadline_warning' && e.detail.kind === 'third_party_testing',
  );
  expect(warning?.detail).toMatchObject({ kind: 'third_party_testing', dueAt: new Date(due).toISOString() });
  expect((await staffAlertsTo(h, c.input.complaintId, 'supervisor')).map((a) => a.template)).not.toContain(
    'staff:third_party_testing_breached',
  );

  await skipTo(h, nextServiceOpening(due + 1, policy.calendar.timeZone) + HOUR);
  const missed = await settle(c, (x) => x.breaches.some((b) => b.kind === 'third_party_testing'), 'the lab late');
  expect(missed.breaches.find((b) => b.kind === 'third_party_testing')).toMatchObject({
    dueAt: new Date(due).toISOString(),
    escalatedTo: 'supervisor',
  });
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, 'supervisor'),
    (a) => a.some((x) => x.template === 'staff:third_party_testing_breached'),
    'the supervisor told of the miss',
  );

  // The supervisor the miss reached records the result; another agent may not.
  expect(
    await refusal(c.handle.executeUpdate(testingResultUpdate, { args: [{ ...result(false), actor: otherAgent }] })),
  ).toBe('not_owner');
  await c.handle.executeUpdate(testingResultUpdate, { args: [{ ...result(false), actor: supervisor }] });
  const done = await solved(c);
  expect(done.resolution.testingResult).toMatchObject({ lab: LAB, defectConfirmed: false, by: supervisor.sub });
  const solution = await eventually(
    () => customerTexts(c, 'solution'),
    (t) => t.length === 1,
    'the solution',
  );
  expect(solution[0]).toContain(`第三方检测机构 ${LAB} 的检测结果为未发现商品存在质量问题`);
  // Recorded once: no test waits any more.
  expect(
    await refusal(c.handle.executeUpdate(testingResultUpdate, { args: [{ ...result(true), actor: supervisor }] })),
  ).toBe('wrong_stage');
}, 300_000);

it('a defect the lab confirmed sends the case back to its owner, who proposes the full-responsibility solution', async () => {
  const c = await briefed(h, { policy: await policyAt(h, 10) });
  await propose(c, { type: 'third_party_testing', testingLab: LAB });
  await testingWaits(c);
  await c.handle.executeUpdate(testingResultUpdate, { args: [{ ...result(true), actor: agent }] });
  const back = await settle(c, (x) => x.status === 'in_progress', 'the case back to its owner');
  // Nothing failed: the case stays with its owner, no rung up, no goodwill coupon.
  expect(back.owner).toBe(agent.sub);
  expect(back.escalationLevel).toBe(0);
  expect(back.resolution.testingResult).toMatchObject({ defectConfirmed: true, reportUrl: result(true).reportUrl });
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, agent.sub),
    (a) => a.some((x) => x.template === 'staff:testing_defect_confirmed'),
    'the owner told to re-plan',
  );
  const told = await eventually(
    () => customerTexts(c, 'testing_defect_confirmed'),
    (t) => t.length === 1,
    'the customer told of the result',
  );
  expect(told[0]).toContain(`第三方检测机构 ${LAB} 已确认商品存在质量问题`);
  expect(await sandboxRecords.coupons(h, c.input.complaintId)).toEqual([]);
  expect((await timeline(c)).map((e) => e.action)).toContain('testing_defect_confirmed');

  await propose(c, { type: 'refund', amountFen: 10_000 });
  const refunded = await solved(c);
  expect(refunded.resolution.refundedFen).toBe(10_000);
}, 180_000);

it('the owner or a supervisor may call the test off, and the case goes back to be re-planned', async () => {
  const c = await briefed(h, { policy: await policyAt(h, 10) });
  await propose(c, { type: 'third_party_testing', testingLab: LAB });
  await testingWaits(c);
  await c.handle.executeUpdate(cancelStepUpdate, {
    args: [{ step: 'third_party_testing', reason: 'The lab cannot test this model', actor: supervisor }],
  });
  const back = await settle(c, (x) => x.status === 'in_progress', 'the case back to re-plan');
  expect(back.resolution.steps.find((s) => s.name === 'third_party_testing')?.status).toBe('failed');
  expect(back.resolution.testingResult ?? null).toBeNull();
}, 180_000);
