import { dedicatedAgentModel } from '../../store/dedicatedAgents';
import { agent, compliance, openCase, otherAgent, sandboxRecords } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  HOUR,
  briefed,
  decide,
  eventually,
  faults,
  policyAt,
  propose,
  settle,
  skipTo,
  solved,
  timeline,
} from './helpers';

/**
 * docs/domain.md §7.1 goodwill without money: an extended warranty (the merchant is told to extend the
 * item's warranty by the proposal's months) and a dedicated agent (the case's owner, or the agent the
 * proposal names, takes the customer's next complaints). No money moves, so the agent grants either
 * alone (docs/domain.md §7.3); a compliance case's proposal is still compliance's (docs/domain.md §7.5).
 * The solution message names the months ("延长保修 N 个月") and the agent ("专属客服 <id>"), in Chinese
 * by default.
 */

const h = useWorkflowHarness('goodwill');

type Opened = Awaited<ReturnType<typeof briefed>>;

const solutionText = async (c: Opened) => {
  const sms = await eventually(
    () => sandboxRecords.sms(h, c.input.complaintId),
    (all) => all.some((m) => m.template === 'solution'),
    'the solution message',
  );
  return sms.find((m) => m.template === 'solution')!.text;
};

const dedicatedAgentOf = async (customerId: string) =>
  (await dedicatedAgentModel(h.mongo).findById(customerId).lean())?.agentId ?? null;

describe('an extended warranty', () => {
  it('is granted by the agent alone: the merchant extends the warranty by the months, the customer is told them', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10) });
    const proposed = await propose(c, { type: 'extended_warranty', warrantyMonths: 12 });
    expect(proposed.resolution.approval?.required).toBe(false);
    const v = await solved(c);
    expect(v.resolution.steps.map((s) => [s.name, s.status])).toEqual([['extend_warranty', 'done']]);
    const notices = (await sandboxRecords.notices(h, c.merchant.merchantId!)).filter(
      (n) => n.complaintId === c.input.complaintId && n.kind === 'extend_warranty',
    );
    expect(notices).toHaveLength(1);
    expect(notices[0].text).toContain(c.input.intake.order.orderId);
    expect(notices[0].text).toContain('12 months');
    expect(await solutionText(c)).toContain('延长保修 12 个月');
  });

  it('on a compliance case waits for compliance (docs/domain.md §7.5)', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10), category: 'compliance', subType: 'false_advertising' });
    const proposed = await propose(c, { type: 'extended_warranty', warrantyMonths: 6 });
    expect(proposed.status).toBe('awaiting_approval');
    expect(proposed.resolution.approval).toMatchObject({ required: true, approverRole: 'compliance' });
    await decide(c, compliance, 'approve');
    await solved(c);
    expect(await solutionText(c)).toContain('延长保修 6 个月');
  });
});

describe('a dedicated agent', () => {
  it("is the case's owner when the proposal names nobody, granted by the agent alone", async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10) });
    const proposed = await propose(c, { type: 'dedicated_agent' });
    expect(proposed.resolution.approval?.required).toBe(false);
    const v = await solved(c);
    expect(v.resolution.steps.map((s) => [s.name, s.status])).toEqual([['dedicated_agent', 'done']]);
    expect(await dedicatedAgentOf(c.customer.customerId!)).toBe(agent.sub);
    expect((await timeline(c)).map((e) => e.action)).toContain('dedicated_agent_granted');
    expect(await solutionText(c)).toContain(`专属客服 ${agent.sub}`);
  });

  it('is the agent the proposal names', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10) });
    await propose(c, { type: 'dedicated_agent', dedicatedAgentId: otherAgent.sub });
    await solved(c);
    expect(await dedicatedAgentOf(c.customer.customerId!)).toBe(otherAgent.sub);
    expect(await solutionText(c)).toContain(`专属客服 ${otherAgent.sub}`);
  });

  it('whose record fails: the step shows failed, the owner is told of the manual route, and the case goes on', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10) });
    const customerId = c.customer.customerId!;
    // The record's store refuses every write (dev/stack/harness.ts arms it with the sandbox's customers fault).
    await faults(h, { service: 'customers', mode: 'error', rate: 1 });
    try {
      await propose(c, { type: 'dedicated_agent', dedicatedAgentId: otherAgent.sub });
      // The record is retried (its backoff runs on the server's clock) before the plan gives it up.
      await skipTo(h, (await h.env.currentTimeMs()) + HOUR);
      const v = await solved(c);
      expect(v.resolution.steps.map((s) => [s.name, s.status])).toEqual([['dedicated_agent', 'failed']]);
      // docs/domain.md §7.1: recorded by hand by a supervisor or an operations manager, on this route.
      const route = `POST /v1/customers/${customerId}/dedicated-agent`;
      const alerts = await eventually(
        () => sandboxRecords.sms(h, c.input.complaintId),
        (all) => all.some((m) => m.to === `staff:${agent.sub}` && m.template === 'staff:dedicated_agent_failed'),
        "the owner's alert",
      );
      const alert = alerts.find((m) => m.to === `staff:${agent.sub}` && m.template === 'staff:dedicated_agent_failed')!;
      expect(alert.text).toContain(route);
      expect(alert.text).toContain(otherAgent.sub);
      expect((await timeline(c)).map((e) => e.action)).toContain('dedicated_agent_failed');
      expect(await dedicatedAgentOf(customerId)).toBeNull();
      // Nothing is undone: the customer is told the solution, naming the agent all the same.
      expect(await solutionText(c)).toContain(`专属客服 ${otherAgent.sub}`);
    } finally {
      await faults(h, null);
    }
  });

  it("takes the customer's next complaint as it opens", async () => {
    const c = await openCase(h, { policy: await policyAt(h, 10), dedicatedAgentId: otherAgent.sub });
    const v = await settle(c, (x) => x.owner !== null, 'the owner');
    expect(v.owner).toBe(otherAgent.sub);
    expect(v.status).toBe('in_progress');
    const assigned = (await timeline(c)).filter((e) => e.action === 'assigned');
    expect(assigned.map((e) => e.detail.agentId)).toEqual([otherAgent.sub]);
  });
});
