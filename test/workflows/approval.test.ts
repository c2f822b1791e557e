import type { Actor } from '../../shared/intake';
import { caseViewQuery } from '../../shared/messages';
import { agent, compliance, sandboxRecords, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  HOUR,
  MINUTE,
  alerted,
  breachOf,
  briefed,
  customerTemplates,
  deadline,
  decide,
  eventually,
  hasDeadline,
  plusServiceTime,
  policyAt,
  propose,
  refusal,
  settle,
  slaEvents,
  sleepUntil,
  solved,
  timeline,
} from './helpers';

/** docs/domain.md §7 approval: above 500 CNY or with reputation impact a supervisor (compliance) decides, in time. */

const h = useWorkflowHarness('approval');

const opsManager: Actor = { sub: 'ops-1', role: 'ops_manager' };

describe('approval', () => {
  it("a refund up to 500 CNY is the agent's own decision", async () => {
    const c = await briefed(h, { amountPaidFen: 80_000 });
    const v = await propose(c, { type: 'refund', amountFen: 50_000 });
    expect(v.resolution.approval).toMatchObject({ required: false, approverRole: null });
    expect(v.status).toBe('executing');
    await solved(c);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([
      expect.objectContaining({ amountFen: 50_000, kind: 'refund' }),
    ]);
  });

  it('above 500 CNY waits for a supervisor; approved → executing, paid once', async () => {
    const policy = await policyAt(h, 10);
    const c = await briefed(h, { policy, amountPaidFen: 80_000 });
    let v = await propose(c, { type: 'refund', amountFen: 60_000 });
    expect(v.status).toBe('awaiting_approval');
    expect(v.resolution.approval).toMatchObject({ required: true, approverRole: 'supervisor', decision: null });
    v = await settle(c, hasDeadline('approval'), 'the approval deadline');
    // 4 h of service time from the proposal (10:xx local: the same day).
    const since = Date.parse(deadline(v, 'approval')!.since);
    expect(Date.parse(deadline(v, 'approval')!.dueAt)).toBe(plusServiceTime(since, 4 * HOUR, policy.calendar.timeZone));
    expect(Date.parse(deadline(v, 'approval')!.dueAt) - since).toBe(4 * HOUR);
    await alerted(h, c.input.complaintId, { to: 'staff:supervisor', template: 'staff:approval_requested' });
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([]);

    await h.env.sleep(HOUR);
    v = await decide(c, supervisor, 'approve');
    expect(v.status).toBe('executing');
    expect(v.resolution.approval).toMatchObject({
      decision: 'approve',
      decidedBy: supervisor.sub,
      decisionReason: 'Checked the evidence',
    });
    v = await solved(c);
    expect(v.breaches).toEqual([]);
    expect(v.resolution.steps.map((s) => [s.name, s.status])).toEqual([['refund', 'done']]);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([
      expect.objectContaining({ amountFen: 60_000 }),
    ]);
    expect((await slaEvents(c)).filter((e) => e.kind === 'approval').map((e) => e.event)).toEqual(['activated', 'met']);
    expect((await timeline(c)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['resolution_proposed', 'resolution_approved', 'refund_done']),
    );
  });

  it('rejected → back to the agent (in_progress) with the reason; a new plan goes through', async () => {
    const c = await briefed(h, { amountPaidFen: 80_000 });
    await propose(c, { type: 'compensation', amountFen: 70_000 });
    let v = await decide(c, supervisor, 'reject', 'Too generous for a cosmetic defect');
    expect(v.status).toBe('in_progress');
    expect(v.resolution.rejections).toEqual([
      expect.objectContaining({ by: supervisor.sub, reason: 'Too generous for a cosmetic defect' }),
    ]);
    expect(v.resolution.approval).toMatchObject({
      decision: 'reject',
      decisionReason: 'Too generous for a cosmetic defect',
    });
    await alerted(h, c.input.complaintId, { to: `staff:${agent.sub}`, template: 'staff:proposal_rejected' });
    await settle(c, hasDeadline('proposal'), 'a new proposal due');
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([]);

    v = await propose(c, { type: 'compensation', amountFen: 20_000 });
    expect(v.status).toBe('executing');
    v = await solved(c);
    const paid = await sandboxRecords.refunds(h, c.input.complaintId);
    expect(paid).toEqual([
      expect.objectContaining({
        amountFen: 20_000,
        kind: 'compensation',
        idempotencyKey: `${c.input.complaintId}:compensation:plan2`,
      }),
    ]);
    expect(v.resolution.rejections).toHaveLength(1);
  });

  it('an approval not given in time escalates: supervisor, then operations manager, who may decide', async () => {
    const policy = await policyAt(h, 10);
    const tz = policy.calendar.timeZone;
    const c = await briefed(h, { policy, amountPaidFen: 80_000 });
    await propose(c, { type: 'refund', amountFen: 60_000 });
    let v = await settle(c, hasDeadline('approval'), 'the approval deadline');
    const due = Date.parse(deadline(v, 'approval')!.dueAt);
    expect(due).toBe(plusServiceTime(Date.parse(deadline(v, 'approval')!.since), 4 * HOUR, tz));
    await sleepUntil(h, due + MINUTE);
    v = await settle(c, (x) => breachOf(x, 'approval').length === 1 && x.escalationLevel === 1, 'the approval breach');
    expect(breachOf(v, 'approval')[0]).toMatchObject({ dueAt: new Date(due).toISOString(), escalatedTo: 'supervisor' });
    expect(v.status).toBe('awaiting_approval');
    await alerted(h, c.input.complaintId, { to: 'staff:supervisor', template: 'staff:approval_breached' });

    // The supervisor's rung: a fresh 4 h of service time from the miss.
    const fresh = Date.parse(deadline(v, 'approval')!.dueAt);
    expect(fresh).toBe(plusServiceTime(due, 4 * HOUR, tz));
    await sleepUntil(h, fresh + MINUTE);
    // Still one breach fact for the deadline, now escalated to the operations manager.
    v = await settle(c, (x) => x.escalationLevel === 2, 'the second rung');
    expect(breachOf(v, 'approval')).toEqual([
      expect.objectContaining({ dueAt: new Date(due).toISOString(), escalatedTo: 'ops_manager' }),
    ]);
    expect(deadline(v, 'approval')).toMatchObject({
      rung: 2,
      dueAt: new Date(plusServiceTime(fresh, 4 * HOUR, tz)).toISOString(),
    });
    await alerted(h, c.input.complaintId, { to: 'staff:ops_manager', template: 'staff:approval_breached' });

    v = await decide(c, opsManager, 'approve');
    expect(v.status).toBe('executing');
    await solved(c);
    expect((await slaEvents(c)).filter((e) => e.kind === 'approval').map((e) => e.event)).toEqual([
      'activated',
      'breached',
    ]);
  });

  it('a compliance case is decided by compliance only, whatever the amount', async () => {
    const c = await briefed(h, { category: 'compliance', subType: 'counterfeit' });
    let v = await propose(c, { type: 'refund', amountFen: 5_000 });
    expect(v.status).toBe('awaiting_approval');
    expect(v.resolution.approval).toMatchObject({
      required: true,
      approverRole: 'compliance',
      reason: 'compliance case',
    });
    // Compliance heard of the case when it opened (its review); the approval request is a second alert.
    await alerted(h, c.input.complaintId, { to: 'staff:compliance', template: 'staff:approval_requested' });

    const before = (await timeline(c)).length;
    for (const actor of [supervisor, opsManager, agent]) {
      expect(await refusal(decide(c, actor, 'approve'))).toBe('forbidden');
    }
    expect((await timeline(c)).length).toBe(before);
    expect((await c.handle.query(caseViewQuery)).status).toBe('awaiting_approval');

    v = await decide(c, compliance, 'approve', 'QC report confirms counterfeit');
    expect(v.resolution.approval).toMatchObject({ decision: 'approve', decidedBy: compliance.sub });
    await solved(c);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toHaveLength(1);
  });

  it('a public apology needs a supervisor even without money; approved, the customer gets the solution', async () => {
    const c = await briefed(h, { category: 'service', subType: 'rude_agent' });
    let v = await propose(c, { type: 'apology' });
    expect(v.status).toBe('awaiting_approval');
    expect(v.resolution.approval).toMatchObject({
      approverRole: 'supervisor',
      reason: 'public apology: reputation impact',
    });
    expect(await refusal(decide(c, agent, 'approve'))).toBe('forbidden');
    await decide(c, supervisor, 'approve');
    v = await solved(c);
    expect(v.resolution.steps).toEqual([]);
    // The case awaits the customer as the solution message is sent, not after it arrives.
    await eventually(
      () => customerTemplates(h, c.input.complaintId),
      (t) => t.includes('solution'),
      'the solution message',
    );
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([]);
  });

  it('a coupon on top counts toward the threshold', async () => {
    const c = await briefed(h, { amountPaidFen: 80_000 });
    const v = await propose(c, { type: 'refund', amountFen: 48_000, couponFen: 3_000 });
    expect(v.resolution.approval).toMatchObject({ required: true, reason: 'amount 51000 fen above 50000' });
  });
});
