import request from 'supertest';
import { eventually } from '../support/poll';
import {
  act,
  callers,
  complaintIdOf,
  errorOf,
  openComplaint,
  party,
  readyToPropose,
  useApiHarness,
  viewOf,
  type Party,
} from './support';

/**
 * docs/domain.md §7.1 goodwill without money, through the API: an extended warranty carries its months
 * (1 to 24, required for it and refused beside any other type, as the published contract says); a
 * dedicated agent names the agent (else the case's owner) and only goes with its own type. Once granted,
 * the customer's next complaint is assigned to that agent as it opens.
 */

const h = useApiHarness({ worker: true });

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
const BRIEF = { responsibility: 'merchant', findings: '商品质量问题' } as const;

describe("an extended warranty's months and a dedicated agent's id", () => {
  const p = party();
  beforeAll(() => readyToPropose(h, p, BRIEF));

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
    const res = await act(h, p, as(p).agent, 'resolution', { note: '善意补偿', ...body });
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain(field);
  });

  it('grant 24 months by the agent alone', async () => {
    const res = await act(h, p, as(p).agent, 'resolution', {
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
  await readyToPropose(h, first, BRIEF);
  const proposed = await act(h, first, as(first).agent, 'resolution', { type: 'dedicated_agent', note: '专属客服' });
  expect(proposed.status).toBe(200);
  expect(viewOf(proposed).resolution.approval?.required).toBe(false);
  await eventually(
    async () =>
      request(h.app)
        .get(`/v1/complaints/${complaintIdOf(first)}`)
        .set('authorization', await h.bearer(as(first).agent)),
    (r) =>
      r.status === 200 && viewOf(r).resolution.steps.some((s) => s.name === 'dedicated_agent' && s.status === 'done'),
    'the dedicated agent recorded',
    60_000,
  );
  // The same customer, another order: nobody took the case, yet it is the dedicated agent's.
  const next = { ...party(), customerId: first.customerId };
  const opened = await openComplaint(h, next);
  expect(opened.owner).toBe(as(first).agent.sub);
  // Another customer's complaint is nobody's until taken.
  expect((await openComplaint(h, party())).owner).toBeNull();
});
