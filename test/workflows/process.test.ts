import {
  addEvidenceUpdate,
  assignUpdate,
  customerResponseUpdate,
  firstResponseUpdate,
  returnReceivedUpdate,
  returnShipmentUpdate,
  satisfactionUpdate,
} from '../../shared/messages';
import { agent, compliance, openCase, otherSupervisor, sandboxRecords, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  answered,
  breachOf,
  briefed,
  customerTemplates,
  deadline,
  decide,
  eventually,
  faults,
  hasDeadline,
  policyAt,
  propose,
  refusal,
  settle,
  slaEvents,
  sleepUntil,
  staffAlerts,
  staffAlertsTo,
  timeline,
  view,
} from './helpers';

/**
 * The paths the first read of the workflow against docs/domain.md found broken. Expected times
 * come from its figures with plain arithmetic here, never from shared/calendar.ts: the
 * policy's time zone is chosen so the local clock reads a known hour when the case opens
 * (policyAt), and service hours are 09:00–21:00 every calendar day (docs/domain.md §4.1).
 */

const h = useWorkflowHarness('process');
afterEach(async () => {
  await faults(h, null);
});

const at = (iso: string) => Date.parse(iso);
/** The start of the local hour of `ms` (policyAt's zones are whole-hour offsets from UTC). */
const hourOf = (ms: number) => ms - (ms % HOUR);
const alertsTo = (id: string, to: string) => staffAlertsTo(h, id, to);

describe('outside systems never end a case', () => {
  it('a merchant portal that refuses the complaint copy: the case goes on, merchant ops are told, the merchant owes no answer', async () => {
    await faults(h, { service: 'merchants', mode: 'decline', rate: 1 });
    const c = await answered(h, { policy: await policyAt(h, 10) });
    await eventually(
      () => timeline(c),
      (t) => t.some((e) => e.action === 'merchant_copy_failed'),
      'the failed copy in the timeline',
    );
    const v = await settle(c, (x) => x.status === 'in_progress' && x.investigation.dueAt !== null, 'the investigation');
    expect(hasDeadline('merchant_reply')(v)).toBe(false);
    await eventually(
      () => alertsTo(c.input.complaintId, 'merchant_ops'),
      (a) => a.some((x) => x.template === 'staff:merchant_copy_failed'),
      'the alert to merchant ops',
    );
    const { status } = await c.handle.describe();
    expect(status.name).toBe('RUNNING');
  });

  it('a merchant portal that refuses a repair request fails the step (saga), not the case', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10) });
    await faults(h, { service: 'merchants', mode: 'decline', rate: 1 });
    await propose(c, { type: 'repair' });
    const v = await settle(c, (x) => x.status === 'in_progress' && x.resolution.steps.length > 0, 'the re-plan');
    expect(v.resolution.steps.find((s) => s.name === 'repair_request')).toMatchObject({ status: 'failed' });
    expect(v.escalationLevel).toBe(1);
    await eventually(
      () => customerTemplates(h, c.input.complaintId),
      (t) => t.includes('step_failed'),
      'the customer told',
    );
    expect((await c.handle.describe()).status.name).toBe('RUNNING');
  });
});

describe('each deadline climbs its own ladder', () => {
  it('a second deadline starts at the bottom rung after the first reached the top', async () => {
    // First response (15 service minutes) climbs to the operations manager; the handling deadline
    // (4 h, medium) then misses on its own ladder and goes to the supervisor, not to nobody.
    const policy = await policyAt(h, 10);
    const c = await openCase(h, { policy });
    const opened = at((await settle(c, hasDeadline('first_response'), 'the first-response deadline')).createdAt);
    await sleepUntil(h, opened + 15 * MINUTE + 15 * MINUTE + 30 * 1000);
    let v = await settle(c, (x) => x.escalationLevel === 2, 'first response at the top rung');
    expect(breachOf(v, 'first_response')).toEqual([
      expect.objectContaining({ escalatedTo: 'ops_manager', dueAt: new Date(opened + 15 * MINUTE).toISOString() }),
    ]);
    expect(
      await slaEvents(c).then((e) => e.filter((x) => x.kind === 'first_response' && x.event === 'breached')),
    ).toHaveLength(1);

    await sleepUntil(h, opened + 4 * HOUR + MINUTE);
    v = await settle(c, (x) => breachOf(x, 'handling').length === 1, 'the handling breach');
    expect(breachOf(v, 'handling')[0]).toMatchObject({
      escalatedTo: 'supervisor',
      dueAt: new Date(opened + 4 * HOUR).toISOString(),
    });
    await eventually(
      () => alertsTo(c.input.complaintId, 'supervisor'),
      (a) => a.some((x) => x.template === 'staff:handling_breached'),
      'the supervisor alert for handling',
    );
    // Its own next rung: a fresh 4 h window of service time from the miss.
    expect(at(deadline(v, 'handling')!.dueAt)).toBe(opened + 8 * HOUR);
  });

  it('at the top rung a miss alerts the operations manager again each window, up to the bound, never silence', async () => {
    const policy = await policyAt(h, 10, {
      escalation: { topRungRealerts: 2, serviceTimeDeadlines: ['first_response', 'handling', 'proposal', 'approval'] },
      handling: { high: 'P30D', medium: 'P30D', low: 'P30D' },
    });
    const c = await openCase(h, { policy });
    const opened = at((await settle(c, hasDeadline('first_response'), 'the first-response deadline')).createdAt);
    // Misses at 15, 30, 45 and 60 service minutes: supervisor, ops manager, ops manager again twice.
    await sleepUntil(h, opened + 75 * MINUTE + MINUTE);
    await eventually(
      () => alertsTo(c.input.complaintId, 'ops_manager'),
      (a) => a.filter((x) => x.template === 'staff:first_response_breached').length === 3,
      'three alerts to the operations manager',
    );
    await h.env.sleep(2 * HOUR);
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      (await alertsTo(c.input.complaintId, 'ops_manager')).filter(
        (x) => x.template === 'staff:first_response_breached',
      ),
    ).toHaveLength(3);
    expect(
      (await alertsTo(c.input.complaintId, 'supervisor')).filter((x) => x.template === 'staff:first_response_breached'),
    ).toHaveLength(1);
    const v = await view(c);
    expect(breachOf(v, 'first_response')).toHaveLength(1);
    expect(v.breaches.length).toBe(1);
  });

  it('a wait that starts after its due time climbs one rung, with a fresh full window', async () => {
    const policy = await policyAt(h, 10, {
      firstResponse: 'P30D',
      offHoursFirstResponse: 'P30D',
      handling: { high: 'P30D', medium: 'P30D', low: 'P30D' },
    });
    // A service complaint has no category target (docs/domain.md §3), so only the investigation's ladder moves here.
    const c = await openCase(h, { policy, category: 'service', subType: 'rude_agent' });
    const opened = at((await settle(c, hasDeadline('first_response'), 'the first-response deadline')).createdAt);
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    // Eight calendar days hold at least 3 working days: the investigation is overdue before it starts.
    await sleepUntil(h, opened + 8 * DAY);
    await c.handle.executeUpdate(firstResponseUpdate, {
      args: [{ message: 'We are looking into it.', requestEvidence: false, actor: agent }],
    });
    const v = await settle(
      c,
      (x) => breachOf(x, 'investigation').length === 1 && deadline(x, 'investigation')?.rung === 1,
      'one rung of the investigation ladder',
    );
    expect(v.escalationLevel).toBe(1);
    // A fresh window of 3 working days: at least 3 calendar days from the late start.
    expect(at(deadline(v, 'investigation')!.dueAt)).toBeGreaterThanOrEqual(opened + 8 * DAY + 3 * DAY - 12 * HOUR);
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      (await alertsTo(c.input.complaintId, 'ops_manager')).filter((a) => a.template === 'staff:investigation_breached'),
    ).toEqual([]);
  });

  it('a wait that starts after its due time, paused already, still climbs its first rung; the pause holds the next window (simulation seed 1 case 214)', async () => {
    // Handling (low, 24 h) in calendar time and never bounded: opened at 22:mm, it misses every night at
    // 22:mm and each alert waits for 09:00, holding the first-response stage until it goes out.
    const policy = await policyAt(h, 22, {
      firstResponse: 'P30D',
      offHoursFirstResponse: 'P30D',
      warnings: { share: 0.75, kinds: [] },
      escalation: { topRungRealerts: 20, serviceTimeDeadlines: [] },
    });
    const c = await openCase(h, { policy, priority: 'low', category: 'service', subType: 'rude_agent' });
    const opened = at((await settle(c, hasDeadline('first_response'), 'the first-response deadline')).createdAt);
    // Day 8, 23:mm: the investigation (3 working days from opening) is overdue before it starts, and the
    // first answer asks for evidence, which goes out at once: the case waits on the customer before
    // the investigation's wait begins at 09:00.
    await sleepUntil(h, opened + 8 * DAY + HOUR);
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await c.handle.executeUpdate(firstResponseUpdate, {
      args: [{ message: 'Please send us a photo.', requestEvidence: true, actor: agent }],
    });
    await settle(c, (x) => x.awaitingEvidence, 'the evidence request delivered');
    await sleepUntil(h, opened + 8 * DAY + 12 * HOUR);
    // Missed before the pause: the breach and the supervisor's alert when the wait begins (09:00, service hours).
    const v = await settle(
      c,
      (x) => breachOf(x, 'investigation').length === 1 && deadline(x, 'investigation')?.paused === true,
      'the missed investigation, paused',
    );
    expect(deadline(v, 'investigation')!.rung).toBe(1);
    await eventually(
      () => alertsTo(c.input.complaintId, 'supervisor'),
      (a) => a.some((x) => x.template === 'staff:investigation_breached'),
      "the supervisor's alert when the wait began",
    );
    // The evidence comes a day later; the next rung's window (3 working days from the wait's start,
    // so at least 3 calendar days less half a day) stood still while the case waited on the customer.
    const evidenceAt = opened + 9 * DAY + 12 * HOUR;
    await sleepUntil(h, evidenceAt);
    await c.handle.executeUpdate(addEvidenceUpdate, {
      args: [{ items: [{ kind: 'photo', url: 'https://example.com/a.jpg', note: '' }], actor: c.customer }],
    });
    const resumed = await settle(c, (x) => deadline(x, 'investigation')?.paused === false, 'the investigation resumed');
    expect(at(deadline(resumed, 'investigation')!.dueAt)).toBeGreaterThanOrEqual(evidenceAt + 3 * DAY - 12 * HOUR);
    expect(breachOf(resumed, 'investigation')).toHaveLength(1);
  });

  it('a deadline whose step was declined is cancelled, not met; every deadline ends with one fact', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10) });
    await faults(h, { service: 'payments', mode: 'decline', rate: 1 });
    await propose(c, { type: 'refund', amountFen: 1000 });
    await settle(
      c,
      (x) => x.status === 'in_progress' && x.resolution.steps.some((s) => s.status === 'failed'),
      'the declined refund',
    );
    await faults(h, null);
    const facts = await eventually(
      () => slaEvents(c),
      (f) => f.some((e) => e.kind === 'refund' && e.event !== 'activated'),
      'the refund fact',
    );
    expect(facts.filter((e) => e.kind === 'refund').map((e) => e.event)).toEqual(['activated', 'cancelled']);
    // Every deadline that ended has exactly one final fact; one still running (a new proposal) has none yet.
    const running = new Set((await view(c)).deadlines.map((d) => d.kind));
    for (const kind of new Set(facts.filter((e) => e.event === 'activated').map((e) => e.kind))) {
      const finals = facts.filter((e) => e.kind === kind && ['met', 'breached', 'cancelled'].includes(e.event)).length;
      const activated = facts.filter((e) => e.kind === kind && e.event === 'activated').length;
      expect([kind, finals]).toEqual([kind, activated - (running.has(kind) ? 1 : 0)]);
    }
  });
});

describe('service hours', () => {
  it('a medium case opened at 22:00: handling due 13:00 next day, alerted in service hours', async () => {
    const policy = await policyAt(h, 22, { firstResponse: 'P30D', offHoursFirstResponse: 'P30D' });
    const c = await openCase(h, { policy });
    const opened = at((await settle(c, hasDeadline('handling'), 'the handling deadline')).createdAt);
    const nine = hourOf(opened) + 11 * HOUR;
    expect(at(deadline(await view(c), 'handling')!.dueAt)).toBe(nine + 4 * HOUR);
    // Nothing at 02:00 or 06:00 (the old calendar-time windows).
    await sleepUntil(h, nine - MINUTE);
    await new Promise((r) => setTimeout(r, 500));
    expect(await staffAlerts(h, c.input.complaintId)).toEqual([]);
    // docs/domain.md §2.2: a medium case involves its supervisor when it opens, told at 09:00 (alerts wait for service hours).
    await sleepUntil(h, nine + MINUTE);
    await eventually(
      () => alertsTo(c.input.complaintId, 'supervisor'),
      (a) => a.length === 1 && a[0].template === 'staff:medium_opened',
      'the supervisor told of the case at 09:00',
    );
    await sleepUntil(h, nine + 4 * HOUR + MINUTE);
    await eventually(
      () => alertsTo(c.input.complaintId, 'supervisor'),
      (a) => a.length === 2 && a[1].template === 'staff:handling_breached',
      'the supervisor alert at 13:00',
    );
  });

  it('a miss at night on a medium case waits for 09:00 to alert; a high case alerts at once', async () => {
    // A logistics case must be resolved in 24 h of calendar time (docs/domain.md §3): opened at 03:00, it misses at 03:00 the next night.
    const policy = await policyAt(h, 3, {
      firstResponse: 'P30D',
      offHoursFirstResponse: 'P30D',
      handling: { high: 'P30D', medium: 'P30D', low: 'P30D' },
    });
    const opts = { policy, category: 'logistics' as const, subType: 'delayed' as const };
    const [medium, high] = await Promise.all([answered(h, opts), answered(h, { ...opts, priority: 'high' })]);
    const opened = at((await view(medium)).createdAt);
    expect(at(deadline(await view(medium), 'category_target')!.dueAt)).toBe(opened + 24 * HOUR);
    await sleepUntil(h, opened + 24 * HOUR + MINUTE);
    const breachedAlert = (a: Array<{ template: string }>) =>
      a.some((x) => x.template === 'staff:category_target_breached');
    await eventually(
      () => alertsTo(high.input.complaintId, 'supervisor'),
      breachedAlert,
      'the high case alert at night',
    );
    expect(breachedAlert(await alertsTo(medium.input.complaintId, 'supervisor'))).toBe(false);
    // 09:00 the next day is six hours after the 03:xx miss.
    await sleepUntil(h, hourOf(opened) + 30 * HOUR + MINUTE);
    await eventually(
      () => alertsTo(medium.input.complaintId, 'supervisor'),
      breachedAlert,
      'the medium case alert at 09:00',
    );
  });
});

describe('approval after escalation', () => {
  it('a compliance approval escalates to compliance, then to the operations manager, who may decide it', async () => {
    const policy = await policyAt(h, 10);
    const c = await briefed(h, { policy, category: 'compliance', subType: 'counterfeit' });
    await propose(c, { type: 'refund', amountFen: 1000 });
    const v0 = await settle(c, hasDeadline('approval'), 'the approval deadline');
    const ops = { sub: 'ops-1', role: 'ops_manager' as const };
    expect(await refusal(decide(c, ops, 'approve', 'ok'))).toBe('forbidden');
    const due = at(deadline(v0, 'approval')!.dueAt);
    await sleepUntil(h, due + MINUTE);
    await eventually(
      () => alertsTo(c.input.complaintId, 'compliance'),
      (a) => a.some((x) => x.template === 'staff:approval_breached'),
      'compliance told',
    );
    await sleepUntil(h, due + 4 * HOUR + 2 * MINUTE);
    await eventually(
      () => alertsTo(c.input.complaintId, 'ops_manager'),
      (a) => a.some((x) => x.template === 'staff:approval_breached'),
      'ops manager told',
    );
    expect(
      await alertsTo(c.input.complaintId, 'supervisor').then((a) =>
        a.filter((x) => x.template === 'staff:approval_breached'),
      ),
    ).toEqual([]);
    const v = await decide(c, ops, 'approve', 'decided after escalation');
    expect(v.status).toBe('executing');
  });
});

describe('the customer hears what a step depends on', () => {
  it('the first human response is sent to the customer', async () => {
    const c = await answered(h, { policy: await policyAt(h, 10) });
    await eventually(
      () => customerTemplates(h, c.input.complaintId),
      (t) => t.includes('first_response'),
      'the first response sent',
    );
  });

  it('an exchange tells the customer to ship the goods back', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10) });
    await propose(c, { type: 'exchange' });
    await eventually(
      () => customerTemplates(h, c.input.complaintId),
      (t) => t.includes('return_instructions'),
      'the return instructions',
    );
  });

  it('return then refund: the refund waits for the goods and is paid once within 24 h of their receipt', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10) });
    await propose(c, { type: 'refund', amountFen: 12_900, returnFirst: true });
    await settle(
      c,
      (x) => x.resolution.steps.some((s) => s.name === 'return_shipment' && s.status === 'waiting'),
      'the return shipment step',
    );
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([]);
    await c.handle.executeUpdate(returnShipmentUpdate, {
      args: [{ carrier: 'sf', waybillNo: 'SF200', actor: c.customer }],
    });
    await settle(
      c,
      (x) => x.resolution.steps.some((s) => s.name === 'return_inspection' && s.status === 'waiting'),
      'the inspection step',
    );
    await c.handle.executeUpdate(returnReceivedUpdate, {
      args: [{ inspection: 'ok', note: 'intact', actor: c.merchant }],
    });
    const v = await settle(c, (x) => x.status === 'awaiting_customer', 'the refund');
    const refund = v.resolution.steps.find((s) => s.name === 'refund');
    const received = v.resolution.steps.find((s) => s.name === 'return_inspection');
    expect(at(refund!.dueAt!) - at(received!.updatedAt)).toBeLessThanOrEqual(24 * HOUR);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([
      expect.objectContaining({ amountFen: 12_900 }),
    ]);
  });

  it('a message held back by the daily cap is delayed to the next day, and the step waits for it', async () => {
    const policy = await policyAt(h, 10, { smsPerCasePerDay: 2 });
    const c = await answered(h, { policy }, true);
    // Receipt and first response used today's two messages: the evidence request waits for tomorrow 09:00.
    await eventually(
      () => timeline(c),
      (t) => t.some((e) => e.action === 'customer_message_delayed'),
      'the delay in the timeline',
    );
    let v = await view(c);
    expect(v.awaitingEvidence).toBe(false);
    const opened = at(v.createdAt);
    await sleepUntil(h, hourOf(opened) + 23 * HOUR + MINUTE);
    await eventually(
      () => customerTemplates(h, c.input.complaintId),
      (t) => t.includes('evidence_request'),
      'the evidence request sent the next day',
    );
    v = await settle(c, (x) => x.awaitingEvidence, 'the pause');
    expect(v.deadlines.find((d) => d.kind === 'investigation')?.paused).toBe(true);
  });

  it('a high-priority satisfaction callback comes within 24 h of execution', async () => {
    const policy = await policyAt(h, 10);
    const c = await briefed(h, { policy, priority: 'high' });
    await propose(c, { type: 'refund', amountFen: 1000 });
    const v = await settle(c, (x) => x.status === 'awaiting_customer', 'the objection window');
    const executed = at(v.resolution.executedAt!);
    // docs/domain.md §9.2: high priority within 24 h of the execution. Server time stops a minute short of that bound
    // and stays there while the test waits (real time): a callback due at 24 h or later (one that
    // waits for the 24 h objection window to end) has not gone out, and the wait below fails.
    const bound = executed + 24 * HOUR;
    await sleepUntil(h, bound - MINUTE);
    const sent = at(
      (await settle(c, (x) => x.satisfaction.callbackSentAt !== null, 'the callback sent before the 24 h bound'))
        .satisfaction.callbackSentAt!,
    );
    expect(sent).toBeGreaterThanOrEqual(executed);
    expect(sent).toBeLessThan(bound);
    expect(await customerTemplates(h, c.input.complaintId)).toContain('satisfaction_callback');
  });
});

describe('money over rounds', () => {
  it("every round's rating is kept; the approval threshold counts what the case already paid", async () => {
    const policy = await policyAt(h, 10);
    const c = await briefed(h, { policy, amountPaidFen: 90_000 });
    await propose(c, { type: 'partial_refund', amountFen: 40_000 });
    await settle(c, (x) => x.status === 'awaiting_customer', 'the objection window');
    await c.handle.executeUpdate(customerResponseUpdate, { args: [{ accept: true, actor: c.customer }] });
    await settle(c, (x) => x.status === 'awaiting_feedback', 'the callback');
    await h.env.sleep(2 * DAY);
    await settle(c, (x) => x.satisfaction.callbackSentAt !== null, 'the callback sent');
    await c.handle.executeUpdate(satisfactionUpdate, {
      args: [{ rating: 1, comment: 'still leaks', actor: c.customer }],
    });
    await settle(c, (x) => x.round === 2 && x.status === 'in_progress', 'the second round');
    // 400 + 200 CNY on one case is above the 500 CNY an agent may grant alone (docs/domain.md §7.3).
    const v = await propose(c, { type: 'partial_refund', amountFen: 20_000 }, supervisor);
    expect(v.status).toBe('awaiting_approval');
    expect(v.satisfaction.rounds).toEqual([expect.objectContaining({ round: 1, rating: 1 })]);
    // Four eyes (docs/domain.md §7.7): the supervisor who proposed does not approve; another one does.
    await decide(c, otherSupervisor, 'approve', 'ok');
    await settle(c, (x) => x.status === 'awaiting_customer', 'the second solution');
    expect((await sandboxRecords.refunds(h, c.input.complaintId)).map((r) => r.amountFen)).toEqual([40_000, 20_000]);
  });

  it('compliance role cannot be bypassed by a supervisor', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10), category: 'compliance', subType: 'counterfeit' });
    await propose(c, { type: 'refund', amountFen: 1000 });
    await settle(c, hasDeadline('approval'), 'the approval deadline');
    expect(await refusal(decide(c, supervisor, 'approve', 'ok'))).toBe('forbidden');
    const v = await decide(c, compliance, 'approve', 'ok');
    expect(v.status).toBe('executing');
  });
});
