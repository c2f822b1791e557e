import {
  addEvidenceUpdate,
  assignUpdate,
  briefUpdate,
  extendInvestigationUpdate,
  firstResponseUpdate,
  merchantReplyUpdate,
  timelineQuery,
} from '../../shared/messages';
import { agent, openCase } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  alerted,
  answered,
  breachOf,
  briefed,
  customerTemplates,
  deadline,
  endOfWorkingDays,
  eventually,
  faults,
  hasDeadline,
  investigating,
  nextServiceOpening,
  plusServiceTime,
  policyAt,
  refusal,
  settle,
  slaEvents,
  sleepUntil,
  escalationAlerts,
  staffAlerts,
  timeline,
  view,
} from './helpers';

/** docs/domain.md §3–§5 deadlines, each met and missed, and the escalation ladder agent → supervisor → ops manager. */

const h = useWorkflowHarness('deadlines');

const at = (iso: string) => Date.parse(iso);

describe('first response and handling', () => {
  it('in service hours: due 15 service minutes after opening; met by an answer in time', async () => {
    const policy = await policyAt(h, 10);
    const c = await openCase(h, { policy });
    let v = await settle(c, hasDeadline('first_response'), 'the first-response deadline');
    // Opened 10:xx local, in service hours: 15 service minutes; handling (medium) 4 service hours.
    const due = plusServiceTime(at(v.createdAt), 15 * MINUTE, policy.calendar.timeZone);
    expect(at(deadline(v, 'first_response')!.dueAt)).toBe(due);
    expect(due - at(v.createdAt)).toBe(15 * MINUTE);
    expect(at(deadline(v, 'handling')!.dueAt)).toBe(
      plusServiceTime(at(v.createdAt), 4 * HOUR, policy.calendar.timeZone),
    );
    expect(at(deadline(v, 'handling')!.dueAt)).toBe(at(v.createdAt) + 4 * HOUR);

    await h.env.sleep(10 * MINUTE);
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await c.handle.executeUpdate(firstResponseUpdate, {
      args: [{ message: 'We are on it.', requestEvidence: false, actor: agent }],
    });
    v = await settle(c, investigating, 'the investigation');
    expect(v.breaches).toEqual([]);
    expect(v.escalationLevel).toBe(0);
    const met = (await slaEvents(c)).filter((e) => e.event === 'met').map((e) => e.kind);
    expect(met).toEqual(expect.arrayContaining(['first_response', 'handling']));
    expect(await customerTemplates(h, c.input.complaintId)).not.toContain('off_hours_reply');
    expect((await timeline(c)).find((e) => e.action === 'receipt_sent')?.detail).toMatchObject({ offHours: false });
  });

  it('off hours: an automatic reply at once, due 1 h after service resumes at 09:00; missed there', async () => {
    const policy = await policyAt(h, 3);
    const c = await openCase(h, { policy });
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    let v = await settle(c, hasDeadline('first_response'), 'the first-response deadline');
    // Opened 03:xx local, off hours: due 1 h after service resumes at 09:00.
    const due = { dueMs: nextServiceOpening(at(v.createdAt), policy.calendar.timeZone) + HOUR };
    expect(at(deadline(v, 'first_response')!.dueAt)).toBe(due.dueMs);
    expect(due.dueMs - at(v.createdAt)).toBeGreaterThan(6 * HOUR);
    expect(due.dueMs - at(v.createdAt)).toBeLessThanOrEqual(7 * HOUR);
    // 10:00 local (the zone is a whole-hour offset, so a whole hour in UTC too), the day it opened at 03:xx.
    expect(due.dueMs % HOUR).toBe(0);
    expect(await customerTemplates(h, c.input.complaintId)).toEqual(
      expect.arrayContaining(['acknowledgement', 'off_hours_reply']),
    );
    expect((await timeline(c)).find((e) => e.action === 'receipt_sent')?.detail).toMatchObject({
      offHours: true,
      firstResponseDueAt: new Date(due.dueMs).toISOString(),
    });

    await sleepUntil(h, due.dueMs - MINUTE);
    expect((await view(c)).breaches).toEqual([]);
    await sleepUntil(h, due.dueMs + MINUTE);
    v = await settle(c, (x) => x.breaches.length === 1 && x.escalationLevel === 1, 'the first-response breach');
    expect(v.breaches[0]).toMatchObject({
      kind: 'first_response',
      dueAt: new Date(due.dueMs).toISOString(),
      escalatedTo: 'supervisor',
    });
    // A medium case: its supervisor was told at 09:00 that it opened (docs/domain.md §2.2), then of the miss.
    expect(await staffAlertsEventually(c.input.complaintId, 2)).toEqual([
      { to: 'staff:supervisor', template: 'staff:medium_opened' },
      { to: 'staff:supervisor', template: 'staff:first_response_breached' },
    ]);
  });

  it('handling by priority (2 h / 4 h / 24 h of service time); the high one climbs its own ladder to the bounded top', async () => {
    // First-response and merchant-reply windows longer than any handling window keep the ladder to the handling deadline.
    const policy = await policyAt(h, 10, {
      firstResponse: 'P30D',
      offHoursFirstResponse: 'P30D',
      merchantReply: 'P30D',
    });
    const tz = policy.calendar.timeZone;
    const [high, medium, low] = await Promise.all(
      (['high', 'medium', 'low'] as const).map((priority) => openCase(h, { policy, priority })),
    );
    const opened = await Promise.all(
      [high, medium, low].map(async (c) =>
        at((await settle(c, hasDeadline('handling'), 'the handling deadline')).createdAt),
      ),
    );
    const views = await Promise.all([high, medium, low].map(view));
    const dues = [2 * HOUR, 4 * HOUR, 24 * HOUR].map((w, i) => plusServiceTime(opened[i], w, tz));
    expect(views.map((v) => at(deadline(v, 'handling')!.dueAt))).toEqual(dues);
    // Opened at 10:xx local: 2 h and 4 h end the same day; 24 h of service time (11 + 12 + 1) end at 10:xx two days later.
    expect(dues.map((d, i) => d - opened[i])).toEqual([2 * HOUR, 4 * HOUR, 48 * HOUR]);

    // The high case's ladder: each rung a fresh 2 h of service time from the miss. 12, 14, then 16, 18, 20 (the
    // three re-alerts of the top rung), then 20:xx + 2 h = 10:xx the next day, where the bound is reached.
    const ladder = [dues[0]];
    while (ladder.length < 6) ladder.push(plusServiceTime(ladder[ladder.length - 1], 2 * HOUR, tz));
    expect(ladder.map((d) => d - opened[0])).toEqual([2, 4, 6, 8, 10, 24].map((n) => n * HOUR));

    // Rung 1: the high case misses at 2 h → supervisor, alerted at once; one breach fact for the deadline.
    await sleepUntil(h, ladder[0] + MINUTE);
    let v = await settle(high, (x) => x.escalationLevel === 1, 'the first rung');
    expect(v.breaches).toEqual([
      expect.objectContaining({
        kind: 'handling',
        dueAt: new Date(ladder[0]).toISOString(),
        escalatedTo: 'supervisor',
      }),
    ]);
    expect(await staffAlertsEventually(high.input.complaintId, 1)).toEqual([
      { to: 'staff:supervisor', template: 'staff:handling_breached' },
    ]);
    // The supervisor gets a fresh window of the full length, from the miss.
    expect(deadline(v, 'handling')).toMatchObject({ dueAt: new Date(ladder[1]).toISOString(), rung: 1 });
    expect((await view(medium)).breaches).toEqual([]);

    // Rung 2 for high at 4 h → operations manager (the same breach, raised); medium misses at 4 h → supervisor.
    await sleepUntil(h, Math.max(dues[1], ladder[1]) + MINUTE);
    v = await settle(high, (x) => x.escalationLevel === 2, 'the second rung');
    expect(v.breaches).toEqual([
      expect.objectContaining({
        kind: 'handling',
        dueAt: new Date(ladder[0]).toISOString(),
        escalatedTo: 'ops_manager',
      }),
    ]);
    expect(deadline(v, 'handling')).toMatchObject({ dueAt: new Date(ladder[2]).toISOString(), rung: 2 });
    expect(await staffAlertsEventually(high.input.complaintId, 2)).toEqual([
      { to: 'staff:supervisor', template: 'staff:handling_breached' },
      { to: 'staff:ops_manager', template: 'staff:handling_breached' },
    ]);
    const mv = await settle(medium, (x) => x.breaches.length === 1, 'the medium breach');
    expect(mv.breaches[0]).toMatchObject({
      kind: 'handling',
      dueAt: new Date(dues[1]).toISOString(),
      escalatedTo: 'supervisor',
    });
    expect(mv.escalationLevel).toBe(1);
    expect(at(deadline(mv, 'handling')!.dueAt)).toBe(plusServiceTime(dues[1], 4 * HOUR, tz));
    expect((await view(low)).breaches).toEqual([]);

    // At the top each miss alerts the operations manager again, three times (topRungRealerts); after
    // that burst the breach stays on the case and is reported once per service day (one timer a day).
    await sleepUntil(h, ladder[5] + MINUTE);
    v = await settle(
      high,
      (x) => deadline(x, 'handling')?.topRungAlerts === 3 && at(deadline(x, 'handling')!.dueAt) === ladder[5],
      'the bounded top rung',
    );
    expect(breachOf(v, 'handling')).toEqual([
      expect.objectContaining({ dueAt: new Date(ladder[0]).toISOString(), escalatedTo: 'ops_manager' }),
    ]);
    expect(v.escalationLevel).toBe(2);
    // The rungs' alerts; besides them the manager hears of the open miss on each new service day
    // the ladder crosses, and at once when the burst ends (docs/domain.md §5: told every service day).
    const atTop = await staffAlertsEventually(high.input.complaintId, 5);
    expect(atTop.filter((a) => a.template === 'staff:handling_breached')).toEqual([
      { to: 'staff:supervisor', template: 'staff:handling_breached' },
      ...[1, 2, 3, 4].map(() => ({ to: 'staff:ops_manager', template: 'staff:handling_breached' })),
    ]);
    expect(
      new Set(atTop.filter((a) => a.template !== 'staff:handling_breached').map((a) => `${a.to} ${a.template}`)),
    ).toEqual(new Set(['staff:ops_manager staff:handling_still_missed']));
    await new Promise((r) => setTimeout(r, 500));
    const timersAtTop = await timersStarted(high);

    await sleepUntil(h, dues[2] + MINUTE);
    const lv = await settle(low, (x) => x.breaches.length === 1, 'the low breach');
    expect(lv.breaches[0]).toMatchObject({
      kind: 'handling',
      dueAt: new Date(dues[2]).toISOString(),
      escalatedTo: 'supervisor',
    });
    v = await view(high);
    expect(breachOf(v, 'handling')).toHaveLength(1);
    const alerts = (await escalationAlerts(h, high.input.complaintId)).filter((a) =>
      a.template.startsWith('staff:handling_'),
    );
    expect(alerts.filter((a) => a.template === 'staff:handling_breached')).toHaveLength(5);
    // The days between: a report each, to the operations manager, and nothing else.
    const daily = alerts.filter((a) => a.template !== 'staff:handling_breached');
    expect(daily.length).toBeGreaterThanOrEqual(1);
    expect(new Set(daily.map((a) => `${a.to} ${a.template}`))).toEqual(
      new Set(['staff:ops_manager staff:handling_still_missed']),
    );
    expect((await timersStarted(high)) - timersAtTop).toBeLessThanOrEqual(daily.length + 1);

    // Taking the case ends the wait without a timer; the deadline's one fact stays the breach.
    await high.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    v = await settle(
      high,
      (x) => x.owner === agent.sub && x.status === 'in_progress' && !hasDeadline('handling')(x),
      'the assignment',
    );
    expect(breachOf(v, 'handling')).toHaveLength(1);
    expect((await slaEvents(high)).filter((e) => e.kind === 'handling').map((e) => e.event)).toEqual([
      'activated',
      'breached',
    ]);
  });
});

describe('category targets and the proposal', () => {
  it('a new plan is due within the handling window (service time); logistics resolved in 24 h; a quality issue gets a solution in 72 h (calendar time)', async () => {
    const policy = await policyAt(h, 10);
    const proposal = await briefed(h, { policy, category: 'service', subType: 'rude_agent' });
    const logistics = await answered(h, { policy, category: 'logistics', subType: 'lost' });
    const product = await answered(h, { policy, category: 'product', subType: 'quality_defect' });
    const p0 = await view(proposal);
    const pDue = at(deadline(p0, 'proposal')!.dueAt);
    // The medium handling window, 4 h of service time from the start of the proposal stage (10:xx local).
    expect(pDue).toBe(plusServiceTime(at(deadline(p0, 'proposal')!.since), 4 * HOUR, policy.calendar.timeZone));
    expect(pDue - at(deadline(p0, 'proposal')!.since)).toBe(4 * HOUR);
    const l0 = await settle(logistics, hasDeadline('category_target'), 'the logistics target');
    const r0 = await settle(product, hasDeadline('category_target'), 'the quality target');
    expect(at(deadline(l0, 'category_target')!.dueAt)).toBe(at(l0.createdAt) + 24 * HOUR);
    expect(at(deadline(r0, 'category_target')!.dueAt)).toBe(at(r0.createdAt) + 72 * HOUR);

    await sleepUntil(h, pDue + MINUTE);
    let v = await settle(proposal, (x) => breachOf(x, 'proposal').length === 1, 'the proposal breach');
    expect(breachOf(v, 'proposal')[0]).toMatchObject({
      escalatedTo: 'supervisor',
      dueAt: new Date(pDue).toISOString(),
    });
    await alerted(h, proposal.input.complaintId, { to: 'staff:supervisor', template: 'staff:proposal_breached' });

    await sleepUntil(h, at(l0.createdAt) + 24 * HOUR + MINUTE);
    v = await settle(logistics, (x) => breachOf(x, 'category_target').length === 1, 'the logistics breach');
    expect(breachOf(v, 'category_target')[0]).toMatchObject({
      escalatedTo: 'supervisor',
      dueAt: new Date(at(l0.createdAt) + 24 * HOUR).toISOString(),
    });
    expect(breachOf(await view(product), 'category_target')).toEqual([]);

    await sleepUntil(h, at(r0.createdAt) + 72 * HOUR + MINUTE);
    v = await settle(product, (x) => breachOf(x, 'category_target').length === 1, 'the quality breach');
    expect(breachOf(v, 'category_target')[0]).toMatchObject({
      escalatedTo: 'supervisor',
      dueAt: new Date(at(r0.createdAt) + 72 * HOUR).toISOString(),
    });
  });
});

describe('escalation while the SMS gateway is down', () => {
  it("the next rung's window starts at the miss, and an alert that never goes out does not end the case", async () => {
    const policy = await policyAt(h, 10);
    const c = await openCase(h, { policy });
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    const v0 = await settle(
      c,
      (x) => hasDeadline('first_response')(x) && x.status === 'in_progress',
      'the first-response deadline',
    );
    await eventually(
      () => timeline(c),
      (t) => t.some((e) => e.action === 'receipt_sent'),
      'the receipt',
    );
    const due = at(deadline(v0, 'first_response')!.dueAt);
    const tz = policy.calendar.timeZone;
    // Opened 10:xx local: every window of this ladder (15 service minutes each) lies in service hours.
    expect(due).toBe(plusServiceTime(at(v0.createdAt), 15 * MINUTE, tz));
    const ladder = [due];
    while (ladder.length < 6) ladder.push(plusServiceTime(ladder[ladder.length - 1], 15 * MINUTE, tz));
    await faults(h, { service: 'sms', mode: 'error', rate: 1 });
    try {
      await sleepUntil(h, due + 1_000);
      // The supervisor's fresh window runs from the miss, while the alert is still being retried.
      const v1 = await settle(
        c,
        (x) => x.escalationLevel === 1 && at(deadline(x, 'first_response')?.dueAt ?? '0') > due,
        'the fresh window',
      );
      expect(at(deadline(v1, 'first_response')!.dueAt)).toBe(ladder[1]);
      // Past every retry of the alerts (20 attempts, up to a minute apart) and the bounded top of the ladder:
      // supervisor, operations manager, the operations manager again three times, then the bound.
      await h.env.sleep(3 * HOUR);
      const v2 = await settle(
        c,
        (x) =>
          deadline(x, 'first_response')?.topRungAlerts === 3 && at(deadline(x, 'first_response')!.dueAt) === ladder[5],
        'the bounded top rung',
      );
      expect(deadline(v2, 'first_response')).toMatchObject({ rung: 2 });
      expect(v2.breaches).toEqual([
        expect.objectContaining({
          kind: 'first_response',
          dueAt: new Date(due).toISOString(),
          escalatedTo: 'ops_manager',
        }),
      ]);
      expect(v2.escalationLevel).toBe(2);
      expect((await c.handle.describe()).status.name).toBe('RUNNING');
      await eventually(
        () => timeline(c),
        (t) => t.some((e) => e.action === 'staff_notification_failed'),
        'the failed alert logged',
      );
    } finally {
      await faults(h, null);
    }
    await c.handle.executeUpdate(firstResponseUpdate, {
      args: [{ message: 'Sorry for the wait.', requestEvidence: false, actor: agent }],
    });
    await settle(c, investigating, 'the investigation');
    expect((await slaEvents(c)).filter((e) => e.kind === 'first_response').map((e) => e.event)).toEqual([
      'activated',
      'breached',
    ]);
  });
});

async function timersStarted(c: Awaited<ReturnType<typeof openCase>>): Promise<number> {
  return ((await c.handle.fetchHistory()).events ?? []).filter((e) => e.timerStartedEventAttributes).length;
}

async function staffAlertsEventually(complaintId: string, n: number) {
  const until = Date.now() + 10_000;
  // The merchant's copy has its own ladder (merchant operations), apart from the staff's.
  const staffLadder = async () => (await escalationAlerts(h, complaintId)).filter((a) => a.to !== 'staff:merchant_ops');
  let alerts = await staffLadder();
  while (alerts.length < n && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    alerts = await staffLadder();
  }
  return alerts;
}

describe('investigation', () => {
  it('3 working days: met by the brief in time', async () => {
    const c = await answered(h, { category: 'service', subType: 'rude_agent' });
    const v = await view(c);
    const due = endOfWorkingDays(at(v.createdAt), 3, c.input.policy.calendar);
    expect(at(v.investigation.dueAt!)).toBe(due);
    expect(at(deadline(v, 'investigation')!.dueAt)).toBe(due);
    await sleepUntil(h, due - HOUR);
    await c.handle.executeUpdate(briefUpdate, {
      args: [{ responsibility: 'platform', findings: 'Agent was rude; recording reviewed', actor: agent }],
    });
    const after = await settle(c, (x) => !hasDeadline('investigation')(x), 'the investigation met');
    expect(breachOf(after, 'investigation')).toEqual([]);
    expect((await slaEvents(c)).filter((e) => e.kind === 'investigation').map((e) => e.event)).toEqual([
      'activated',
      'met',
    ]);
  });

  it('3 working days: missed → supervisor, alerted at 09:00 the next day (medium); extending afterwards is refused with deadline_passed', async () => {
    const policy = await policyAt(h, 10);
    const c = await answered(h, { policy, category: 'service', subType: 'rude_agent' });
    const v0 = await view(c);
    const due = endOfWorkingDays(at(v0.createdAt), 3, policy.calendar);
    expect(at(v0.investigation.dueAt!)).toBe(due);
    await sleepUntil(h, due + MINUTE);
    const v = await settle(c, (x) => breachOf(x, 'investigation').length === 1, 'the investigation breach');
    expect(breachOf(v, 'investigation')[0]).toMatchObject({
      dueAt: new Date(due).toISOString(),
      escalatedTo: 'supervisor',
    });
    expect(v.escalationLevel).toBe(1);
    // Due 23:59:59.999 local on a medium case: the alert waits for service hours, 09:00 the next morning.
    const nine = due + 1 + 9 * HOUR;
    expect(nextServiceOpening(due + MINUTE, policy.calendar.timeZone)).toBe(nine);
    await sleepUntil(h, nine - MINUTE);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await staffAlerts(h, c.input.complaintId)).filter((a) => a.template === 'staff:investigation_breached'),
    ).toEqual([]);
    await sleepUntil(h, nine + MINUTE);
    await alerted(h, c.input.complaintId, { to: 'staff:supervisor', template: 'staff:investigation_breached' });

    const before = (await timeline(c)).length;
    expect(
      await refusal(
        c.handle.executeUpdate(extendInvestigationUpdate, { args: [{ reason: 'Waiting for the lab', actor: agent }] }),
      ),
    ).toBe('deadline_passed');
    expect((await timeline(c)).length).toBe(before);
    expect((await view(c)).investigation.extended).toBe(false);
  });

  it('extension to 5 working days before the deadline: the deadline moves once the customer was told', async () => {
    const policy = await policyAt(h, 10);
    const c = await answered(h, { policy, category: 'service', subType: 'rude_agent' });
    const v0 = await view(c);
    const due3 = endOfWorkingDays(at(v0.createdAt), 3, policy.calendar);
    const due5 = endOfWorkingDays(at(v0.createdAt), 5, policy.calendar);
    expect(at(v0.investigation.dueAt!)).toBe(due3);
    await sleepUntil(h, due3 - 2 * HOUR);
    // The update answers at once: extended, but the deadline stays until the notice went out.
    const v = await c.handle.executeUpdate(extendInvestigationUpdate, {
      args: [{ reason: 'Waiting for the lab report', actor: agent }],
    });
    expect(v.investigation).toMatchObject({
      extended: true,
      extensionReason: 'Waiting for the lab report',
      dueAt: new Date(due3).toISOString(),
    });
    await eventually(
      () => customerTemplates(h, c.input.complaintId),
      (x) => x.includes('extension_notice'),
      'the extension notice',
    );
    const moved = await settle(c, (x) => at(deadline(x, 'investigation')?.dueAt ?? '0') === due5, 'the moved deadline');
    expect(moved.investigation).toMatchObject({ extended: true, dueAt: new Date(due5).toISOString() });
    expect((await timeline(c)).find((e) => e.action === 'investigation_extended')?.detail).toMatchObject({
      dueAt: new Date(due5).toISOString(),
    });
    expect(
      await refusal(c.handle.executeUpdate(extendInvestigationUpdate, { args: [{ reason: 'Again', actor: agent }] })),
    ).toBe('wrong_stage');

    await sleepUntil(h, due3 + HOUR);
    expect(breachOf(await view(c), 'investigation')).toEqual([]);
    await sleepUntil(h, due5 + MINUTE);
    const missed = await settle(c, (x) => breachOf(x, 'investigation').length === 1, 'the extended deadline missed');
    expect(breachOf(missed, 'investigation')[0]).toMatchObject({
      dueAt: new Date(due5).toISOString(),
      escalatedTo: 'supervisor',
    });
  });

  it('an evidence request pauses the investigation clock; the due time shifts by the pause', async () => {
    const c = await answered(h, { category: 'service', subType: 'rude_agent' }, true);
    let v = await settle(c, (x) => deadline(x, 'investigation')?.paused === true, 'the paused deadline');
    const due = endOfWorkingDays(at(v.createdAt), 3, c.input.policy.calendar);
    expect(at(deadline(v, 'investigation')!.dueAt)).toBe(due);
    expect(v.awaitingEvidence).toBe(true);
    await eventually(
      () => customerTemplates(h, c.input.complaintId),
      (x) => x.includes('evidence_request'),
      'the evidence request',
    );

    await h.env.sleep(DAY);
    v = await c.handle.executeUpdate(addEvidenceUpdate, {
      args: [{ items: [{ kind: 'photo', url: 'https://example.com/leak.jpg', note: 'leak' }], actor: c.customer }],
    });
    expect(v.awaitingEvidence).toBe(false);
    v = await settle(c, (x) => deadline(x, 'investigation')?.paused === false, 'the resumed deadline');
    const events = (await slaEvents(c)).filter((e) => e.kind === 'investigation');
    expect(events.map((e) => e.event)).toEqual(['activated', 'paused', 'resumed']);
    const pause = at(events[2].at) - at(events[1].at);
    expect(pause).toBeGreaterThanOrEqual(DAY);
    expect(at(events[2].dueAt)).toBe(due + pause);
    expect(at(deadline(v, 'investigation')!.dueAt)).toBe(due + pause);
    const actions = (await c.handle.query(timelineQuery)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['handling_clock_paused', 'evidence_added', 'handling_clock_resumed']),
    );

    // Not breached at the original due time; breached at the shifted one.
    await sleepUntil(h, due + MINUTE);
    expect(breachOf(await view(c), 'investigation')).toEqual([]);
    await sleepUntil(h, due + pause + MINUTE);
    v = await settle(c, (x) => breachOf(x, 'investigation').length === 1, 'the shifted breach');
    expect(breachOf(v, 'investigation')[0].dueAt).toBe(new Date(due + pause).toISOString());
  });
});

describe('merchant reply', () => {
  it('24 h: met by the merchant reply', async () => {
    // An after-sales case: the merchant's to answer, and no category target beside it.
    const c = await answered(h, { category: 'after_sales', subType: 'refund_blocked' });
    await settle(c, hasDeadline('merchant_reply'), 'the merchant copy');
    await h.env.sleep(20 * HOUR);
    await c.handle.executeUpdate(merchantReplyUpdate, {
      args: [{ message: 'We will replace it', accepts: true, actor: c.merchant }],
    });
    const v = await settle(c, (x) => !hasDeadline('merchant_reply')(x), 'the reply');
    expect(v.investigation.merchantReply).toMatchObject({ accepts: true, by: c.merchant.sub });
    expect(v.investigation.merchantReplyMissed).toBe(false);
    expect(breachOf(v, 'merchant_reply')).toEqual([]);
  });

  it('24 h: missed → merchant operations told, the case goes on without it', async () => {
    const c = await answered(h, { category: 'after_sales', subType: 'refund_blocked' });
    const v0 = await settle(c, hasDeadline('merchant_reply'), 'the merchant copy');
    const due = at(deadline(v0, 'merchant_reply')!.dueAt);
    expect(due - at(deadline(v0, 'merchant_reply')!.since)).toBe(24 * HOUR);
    await sleepUntil(h, due + MINUTE);
    const v = await settle(c, (x) => x.investigation.merchantReplyMissed, 'the missed reply');
    expect(breachOf(v, 'merchant_reply')).toEqual([
      expect.objectContaining({ escalatedTo: 'merchant_ops', dueAt: new Date(due).toISOString() }),
    ]);
    expect(v.escalationLevel).toBe(0);
    expect(v.status).toBe('in_progress');
    expect(await staffAlerts(h, c.input.complaintId)).toContainEqual({
      to: 'staff:merchant_ops',
      template: 'staff:merchant_reply_missed',
    });
    // The agent decides without the merchant.
    await c.handle.executeUpdate(briefUpdate, {
      args: [{ responsibility: 'merchant', findings: 'No answer from the merchant', actor: agent }],
    });
    await settle(c, hasDeadline('proposal'), 'the proposal stage');
  });
});

describe('extension after a pause', () => {
  it('may extend until the shifted deadline the case shows, not the unshifted one', async () => {
    const c = await answered(h, { category: 'service', subType: 'rude_agent' }, true);
    const v0 = await settle(c, (x) => deadline(x, 'investigation')?.paused === true, 'the paused deadline');
    const due3 = endOfWorkingDays(at(v0.createdAt), 3, c.input.policy.calendar);
    await h.env.sleep(2 * DAY);
    await c.handle.executeUpdate(addEvidenceUpdate, {
      args: [{ items: [{ kind: 'photo', url: 'https://example.com/a.jpg', note: '' }], actor: c.customer }],
    });
    const v1 = await settle(c, (x) => deadline(x, 'investigation')?.paused === false, 'the resumed deadline');
    const shown = at(deadline(v1, 'investigation')!.dueAt);
    expect(shown).toBeGreaterThanOrEqual(due3 + 2 * DAY);
    // Past the unshifted due time, before the one the case shows.
    await sleepUntil(h, due3 + HOUR);
    expect(breachOf(await view(c), 'investigation')).toEqual([]);
    const v = await c.handle.executeUpdate(extendInvestigationUpdate, {
      args: [{ reason: 'Waiting for the lab report', actor: agent }],
    });
    expect(v.investigation.extended).toBe(true);
    await eventually(
      () => customerTemplates(h, c.input.complaintId),
      (x) => x.includes('extension_notice'),
      'the extension notice',
    );
  });

  it('refuses an extension reason the customer may not be sent (forbidden wording)', async () => {
    const c = await answered(h, { category: 'service', subType: 'rude_agent' });
    const before = (await timeline(c)).length;
    expect(
      await refusal(
        c.handle.executeUpdate(extendInvestigationUpdate, {
          args: [{ reason: 'This is normal, you misunderstood', actor: agent }],
        }),
      ),
    ).toBe('forbidden_wording');
    expect((await timeline(c)).length).toBe(before);
    expect((await view(c)).investigation.extended).toBe(false);
  });
});
