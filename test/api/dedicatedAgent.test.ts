import request from 'supertest';
import { DedicatedAgentV1 } from '../../api/routes/customers';
import { callers, errorOf, openComplaint, party, useApiHarness } from './support';

/**
 * docs/domain.md §7.1: a customer's dedicated agent recorded by hand
 * (`POST /v1/customers/:customerId/dedicated-agent`), for when the record a dedicated-agent plan makes
 * could not be written: supervisors and operations managers only, with a reason; the customer's next
 * complaint is then assigned to that agent as it opens, and the record keeps who recorded it and why.
 */

const h = useApiHarness({ worker: true });

type Claims = Parameters<typeof h.bearer>[0];
const BODY = { agentId: 'agent-9', reason: '专属客服记录写入失败，主管手动补录' };

const record = async (customerId: string, claims: Claims, body: object) =>
  request(h.app)
    .post(`/v1/customers/${encodeURIComponent(customerId)}/dedicated-agent`)
    .set('authorization', await h.bearer(claims))
    .send(body);

it.each([
  ['an agent id that is no identifier', { ...BODY, agentId: 'agent 9' }, 'agentId'],
  ['no agent', { reason: BODY.reason }, 'agentId'],
  ['no reason', { agentId: BODY.agentId }, 'reason'],
  ['a blank reason', { ...BODY, reason: '  ' }, 'reason'],
  ['a reason of 501 characters', { ...BODY, reason: '因'.repeat(501) }, 'reason'],
])('refuses (400) %s, naming the field', async (_what, body, field) => {
  const p = party();
  const res = await record(p.customerId, callers(p.customerId, p.merchantId).supervisor, body);
  expect(res.status).toBe(400);
  expect(errorOf(res).details.map((d) => d.path)).toContain(field);
});

it('is not for agents, parties or the intake bots (403)', async () => {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  for (const claims of [as.agent, as.customer, as.merchant, as.compliance, as.system])
    expect((await record(p.customerId, claims, BODY)).status).toBe(403);
});

it("records the agent the customer's next complaint goes to, with who recorded it and why", async () => {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  const res = await record(p.customerId, as.supervisor, BODY);
  expect(res.status).toBe(200);
  const granted = DedicatedAgentV1.parse(res.body);
  expect(granted).toMatchObject({ customerId: p.customerId, agentId: BODY.agentId, complaintId: null });
  expect(granted.events).toEqual([
    expect.objectContaining({
      agentId: BODY.agentId,
      by: { sub: as.supervisor.sub, role: 'supervisor' },
      reason: BODY.reason,
    }),
  ]);
  // The same record intake reads: nobody took the new case, yet it is the dedicated agent's.
  expect((await openComplaint(h, p)).owner).toBe(BODY.agentId);
});
