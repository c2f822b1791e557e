import request from 'supertest';
import { complaintWorkflowId } from '../../shared/identity';
import { eventually } from '../support/poll';
import { callers, errorOf, openBody, party, putOrder, useApiHarness, viewOf } from './support';

/**
 * docs/domain.md §7.1 goodwill without money, through the API: an extended warranty carries its months
 * (1 to 24, required for it and refused beside any other type, as the published contract says); a
 * dedicated agent names the agent (else the case's owner) and only goes with its own type. Once granted,
 * the customer's next complaint is assigned to that agent as it opens.
 */

const h = useApiHarness({ worker: true });

type Claims = Parameters<typeof h.bearer>[0];
type Party = ReturnType<typeof party>;

interface OpenApi {
  paths: Record<
    string,
    {
      post: {
        requestBody: {
          content: {
            'application/json': { schema: { properties: Record<string, { minimum?: number; maximum?: number }> } };
          };
        };
      };
    }
  >;
}

const as = (p: Party) => callers(p.customerId, p.merchantId);
const act = async (p: Party, claims: Claims, action: string, body: object) =>
  request(h.app)
    .post(`/v1/complaints/${complaintWorkflowId(p.customerId, p.orderId, 'quality_defect')}/${action}`)
    .set('authorization', await h.bearer(claims))
    .send(body);
const open = async (p: Party) => {
  putOrder(h.sandbox, p, 12_900);
  const opened = await request(h.app)
    .post('/v1/complaints')
    .set('authorization', await h.bearer(as(p).customer))
    .send(openBody(p));
  expect(opened.status).toBe(201);
  return viewOf(opened);
};

/** Opened, taken by the agent, answered and investigated: the agent may propose. */
async function readyToPropose(p: Party): Promise<void> {
  await open(p);
  const agent = as(p).agent;
  await eventually(
    () => act(p, agent, 'assign', { agentId: agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  expect((await act(p, agent, 'first-response', { message: '您好，我们正在核实。' })).status).toBe(200);
  expect(
    (await act(p, agent, 'investigation/brief', { responsibility: 'merchant', findings: '商品质量问题' })).status,
  ).toBe(200);
}

describe("an extended warranty's months and a dedicated agent's id", () => {
  const p = party();
  beforeAll(() => readyToPropose(p));

  it('are published in the contract as 1 to 24', async () => {
    const doc = (await request(h.app).get('/openapi.json')).body as OpenApi;
    const months =
      doc.paths['/v1/complaints/{id}/resolution'].post.requestBody.content['application/json'].schema.properties
        .warrantyMonths;
    expect(months).toMatchObject({ minimum: 1, maximum: 24 });
  });

  it.each([
    ['missing on an extended warranty', { type: 'extended_warranty' }, 'warrantyMonths'],
    ['beside another type', { type: 'exchange', warrantyMonths: 6 }, 'warrantyMonths'],
    ['above 24', { type: 'extended_warranty', warrantyMonths: 25 }, 'warrantyMonths'],
    ['below 1', { type: 'extended_warranty', warrantyMonths: 0 }, 'warrantyMonths'],
    [
      'a dedicated agent beside another type',
      { type: 'coupon', couponFen: 500, dedicatedAgentId: 'agent-9' },
      'dedicatedAgentId',
    ],
  ])('refuse (400) %s', async (_what, body, field) => {
    const res = await act(p, as(p).agent, 'resolution', { note: '善意补偿', ...body });
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain(field);
  });

  it('grant 24 months by the agent alone', async () => {
    const res = await act(p, as(p).agent, 'resolution', {
      type: 'extended_warranty',
      warrantyMonths: 24,
      note: '延保',
    });
    expect(res.status).toBe(200);
    expect(viewOf(res).resolution.approval?.required).toBe(false);
  });
});

it("assigns the customer's next complaint to their dedicated agent as it opens", async () => {
  const first = party();
  await readyToPropose(first);
  const proposed = await act(first, as(first).agent, 'resolution', { type: 'dedicated_agent', note: '专属客服' });
  expect(proposed.status).toBe(200);
  expect(viewOf(proposed).resolution.approval?.required).toBe(false);
  const firstId = complaintWorkflowId(first.customerId, first.orderId, 'quality_defect');
  await eventually(
    async () =>
      request(h.app)
        .get(`/v1/complaints/${firstId}`)
        .set('authorization', await h.bearer(as(first).agent)),
    (r) =>
      r.status === 200 && viewOf(r).resolution.steps.some((s) => s.name === 'dedicated_agent' && s.status === 'done'),
    'the dedicated agent recorded',
    60_000,
  );
  // The same customer, another order: nobody took the case, yet it is the dedicated agent's.
  const next = { ...party(), customerId: first.customerId };
  const opened = await open(next);
  expect(opened.owner).toBe(as(first).agent.sub);
  // Another customer's complaint is nobody's until taken.
  expect((await open(party())).owner).toBeNull();
});
