import {
  assignUpdate,
  changePriorityUpdate,
  extendInvestigationUpdate,
  firstResponseUpdate,
  reclassifyUpdate,
} from '../../shared/messages';
import { agent, customerOf, openCase, otherAgent, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  deadline,
  endOfWorkingDays,
  eventually,
  hasDeadline,
  policyAt,
  refusal,
  settle,
  slaEvents,
  sleepUntil,
  staffAlertsTo,
  timeline,
} from './helpers';

/**
 * What the helpdesks have (docs/helpdesks.md): a warning before a breach and the customer's expected
 * completion. Expected times come from the figures of docs/domain.md with plain arithmetic (service hours
 * 09:00–21:00 local, medium handling 4 h of service time, investigation 3 working days, 5 when
 * extended) and the policy's warning share (75 % by default), never from shared/calendar.ts.
 */

const h = useWorkflowHarness('helpdesk');

const at = (iso: string) => Date.parse(iso);
const warningsTo = async (id: string, to: string, kind: string) =>
  (await staffAlertsTo(h, id, to)).filter((a) => a.template === `staff:${kind}_warning`);

describe('a warning before a breach', () => {
  it('a medium case opened at 10:00 warns the agents at 75 % of its 4 h handling window, once', async () => {
    const c = await openCase(h, { policy: await policyAt(h, 10), category: 'service', subType: 'rude_agent' });
    const v0 = await settle(c, hasDeadline('handling'), 'the handling deadline');
    const opened = at(v0.createdAt);
    expect(at(deadline(v0, 'handling')!.warnAt!)).toBe(opened + 3 * HOUR);
    await sleepUntil(h, opened + 3 * HOUR + MINUTE);
    await eventually(
      () => warningsTo(c.input.complaintId, 'agent', 'handling'),
      (w) => w.length === 1,
      'the handling warning to the agents',
    );
    const v = await settle(c, (x) => deadline(x, 'handling')?.warned === true, 'the warning on the case view');
    expect(v.breaches.filter((b) => b.kind === 'handling')).toEqual([]);
    await sleepUntil(h, opened + 3 * HOUR + 50 * MINUTE);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await warningsTo(c.input.complaintId, 'agent', 'handling')).toHaveLength(1);
    expect(
      (await timeline(c)).filter((e) => e.action === 'deadline_warning' && e.detail.kind === 'handling'),
    ).toHaveLength(1);
  });

  it('an evening case counts its warning in service time and sends it after service opens', async () => {
    // Opened 19:00: 2 h of service left today, then 2 h from 09:00: due 11:00. 75 % = 3 h of service: 10:00.
    const c = await openCase(h, { policy: await policyAt(h, 19), category: 'service', subType: 'rude_agent' });
    const v0 = await settle(c, hasDeadline('handling'), 'the handling deadline');
    const opened = at(v0.createdAt);
    const nextMorning = opened - (opened % HOUR) + 14 * HOUR;
    expect(at(deadline(v0, 'handling')!.dueAt)).toBe(nextMorning + 2 * HOUR + (opened % HOUR));
    expect(at(deadline(v0, 'handling')!.warnAt!)).toBe(nextMorning + HOUR + (opened % HOUR));
    await sleepUntil(h, nextMorning + HOUR + (opened % HOUR) - 5 * MINUTE);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await warningsTo(c.input.complaintId, 'agent', 'handling')).toEqual([]);
    await sleepUntil(h, nextMorning + HOUR + (opened % HOUR) + MINUTE);
    await eventually(
      () => warningsTo(c.input.complaintId, 'agent', 'handling'),
      (w) => w.length === 1,
      'the handling warning',
    );
  });

  it('no warning once the step is done, and the owner is the one warned later', async () => {
    const policy = await policyAt(h, 10);
    const c = await openCase(h, { policy, category: 'service', subType: 'rude_agent' });
    const opened = at((await settle(c, hasDeadline('handling'), 'the handling deadline')).createdAt);
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await c.handle.executeUpdate(firstResponseUpdate, {
      args: [{ message: 'We are looking into it.', requestEvidence: false, actor: agent }],
    });
    const v = await settle(c, hasDeadline('investigation'), 'the investigation deadline');
    const due = endOfWorkingDays(opened, 3, policy.calendar);
    expect(at(deadline(v, 'investigation')!.dueAt)).toBe(due);
    // 75 % of the calendar window from opening to the end of the third working day.
    expect(at(deadline(v, 'investigation')!.warnAt!)).toBe(opened + Math.round(0.75 * (due - opened)));
    await sleepUntil(h, opened + 4 * HOUR + MINUTE);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await warningsTo(c.input.complaintId, 'agent', 'handling')).toEqual([]);
    await sleepUntil(h, opened + Math.round(0.75 * (due - opened)) + 13 * HOUR);
    await eventually(
      () => warningsTo(c.input.complaintId, agent.sub, 'investigation'),
      (w) => w.length === 1,
      'the investigation warning to the owner',
    );
  });
});

describe('the customer sees when it will be done (docs/domain.md §3.3)', () => {
  it("expectedBy follows the latest running deadline, in the customer's zone and language, and moves with an extension", async () => {
    const policy = await policyAt(h, 10);
    const c = await openCase(h, { policy, category: 'service', subType: 'rude_agent' });
    const v0 = await settle(c, hasDeadline('handling'), 'the handling deadline');
    const opened = at(v0.createdAt);
    // Before anybody takes it: the handling window (4 h of service time from 10:00) is the latest.
    expect(at(v0.expectedBy!.at)).toBe(opened + 4 * HOUR);
    expect(v0.expectedBy).toMatchObject({ locale: 'zh-CN', timeZone: policy.calendar.timeZone });
    expect(v0.expectedBy!.text).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await c.handle.executeUpdate(firstResponseUpdate, {
      args: [{ message: 'We are looking into it.', requestEvidence: false, actor: agent }],
    });
    const three = endOfWorkingDays(opened, 3, policy.calendar);
    const v1 = await settle(
      c,
      (x) => x.expectedBy !== null && at(x.expectedBy!.at) === three,
      'expected by the end of the investigation',
    );
    expect(v1.expectedBy!.at).toMatch(/[+-]\d{2}:\d{2}$/);
    await c.handle.executeUpdate(extendInvestigationUpdate, {
      args: [{ reason: "We need the carrier's records.", actor: agent }],
    });
    const five = endOfWorkingDays(opened, 5, policy.calendar);
    await settle(
      c,
      (x) => x.expectedBy !== null && at(x.expectedBy!.at) === five,
      'expected by the end of the extended investigation',
    );
    expect(five - three).toBeGreaterThanOrEqual(2 * DAY);
  });
});

describe('staff correct the machine', () => {
  it('a supervisor raises the priority with a reason: the handling window becomes the high one (2 h), a customer or agent cannot', async () => {
    const c = await openCase(h, { policy: await policyAt(h, 10), category: 'service', subType: 'rude_agent' });
    const v0 = await settle(c, hasDeadline('handling'), 'the handling deadline');
    const opened = at(v0.createdAt);
    expect(v0.priority).toBe('medium');
    expect(at(deadline(v0, 'handling')!.dueAt)).toBe(opened + 4 * HOUR);
    const change = { priority: 'high' as const, reason: 'The customer mentions a burn.' };
    expect(
      await refusal(c.handle.executeUpdate(changePriorityUpdate, { args: [{ ...change, actor: c.customer }] })),
    ).toBe('forbidden');
    expect(await refusal(c.handle.executeUpdate(changePriorityUpdate, { args: [{ ...change, actor: agent }] }))).toBe(
      'forbidden',
    );
    const v = await c.handle.executeUpdate(changePriorityUpdate, { args: [{ ...change, actor: supervisor }] });
    expect(v.priority).toBe('high');
    const moved = await settle(
      c,
      (x) => at(deadline(x, 'handling')!.dueAt) === opened + 2 * HOUR,
      'the 2 h handling window',
    );
    expect(at(moved.expectedBy!.at)).toBeLessThanOrEqual(opened + 2 * HOUR);
    const entry = (await timeline(c)).find((e) => e.action === 'priority_changed');
    expect(entry).toMatchObject({
      actor: { sub: supervisor.sub, role: 'supervisor' },
      detail: { from: 'medium', to: 'high', reason: change.reason },
    });
    expect(
      await refusal(c.handle.executeUpdate(changePriorityUpdate, { args: [{ ...change, actor: supervisor }] })),
    ).toBe('wrong_stage');
  });

  it('the owner reclassifies: a product case gets its 72 h target from opening; moved away again, the target is cancelled', async () => {
    const c = await openCase(h, { policy: await policyAt(h, 10), category: 'service', subType: 'rude_agent' });
    const opened = at((await settle(c, hasDeadline('handling'), 'the handling deadline')).createdAt);
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    const to = {
      category: 'product' as const,
      subType: 'quality_defect' as const,
      reason: 'The photos show a cracked housing.',
    };
    expect(
      await refusal(
        c.handle.executeUpdate(reclassifyUpdate, { args: [{ ...to, actor: customerOf(c.input.intake.customer.id) }] }),
      ),
    ).toBe('forbidden');
    expect(await refusal(c.handle.executeUpdate(reclassifyUpdate, { args: [{ ...to, actor: otherAgent }] }))).toBe(
      'not_owner',
    );
    await c.handle.executeUpdate(reclassifyUpdate, { args: [{ ...to, actor: agent }] });
    const v = await settle(c, hasDeadline('category_target'), 'the category target');
    expect(v).toMatchObject({ category: 'product', subType: 'quality_defect' });
    expect(at(deadline(v, 'category_target')!.dueAt)).toBe(opened + 72 * HOUR);
    expect((await timeline(c)).find((e) => e.action === 'reclassified')).toMatchObject({
      actor: { sub: agent.sub },
      detail: {
        from: { category: 'service', subType: 'rude_agent' },
        to: { category: 'product', subType: 'quality_defect' },
        reason: to.reason,
      },
    });
    await c.handle.executeUpdate(reclassifyUpdate, {
      args: [
        { category: 'service', subType: 'slow_reply', reason: 'It was about the reply time after all.', actor: agent },
      ],
    });
    await settle(c, (x) => !hasDeadline('category_target')(x), 'the category target gone');
    const facts = await eventually(
      () => slaEvents(c),
      (f) => f.some((e) => e.kind === 'category_target' && e.event === 'cancelled'),
      'the cancelled target',
    );
    expect(facts.filter((e) => e.kind === 'category_target').map((e) => e.event)).toEqual(['activated', 'cancelled']);
  });
});
