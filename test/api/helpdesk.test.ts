import request from 'supertest';
import { useApiHarness, callers, errorOf, openBody, party, putOrder, viewOf, type ApiHarness } from './support';

/**
 * Issue 18 through HTTP: staff correct the category (agent on its own case) and the priority
 * (supervisor), each with a reason, and nobody else can; the case view says when the case is
 * expected to be done and how much of each running deadline's window is used.
 */

const h = useApiHarness({ worker: true });
const p = party();
const as = callers(p.customerId, p.merchantId);
const otherAgent = { sub: 'agent-8', role: 'agent' as const };
let id: string;

beforeAll(async () => {
  putOrder(h.sandbox, p);
  const opened = await request(h.app).post('/v1/complaints').set('authorization', await h.bearer(as.customer)).send(openBody(p));
  expect(opened.status).toBe(201);
  id = viewOf(opened).complaintId;
  const assigned = await request(h.app).post(`/v1/complaints/${id}/assign`).set('authorization', await h.bearer(as.agent)).send({ agentId: as.agent.sub });
  expect(assigned.status).toBe(200);
});

const post = async (claims: Parameters<ApiHarness['bearer']>[0], path: string, body: object) =>
  request(h.app).post(`/v1/complaints/${id}${path}`).set('authorization', await h.bearer(claims)).send(body);

describe('staff correct the machine', () => {
  const classification = { category: 'product', subType: 'not_as_described', reason: 'The photos show the wrong colour, not a defect' };

  it('the owning agent changes the sub-type with a reason; the timeline says who and why', async () => {
    const res = await post(as.agent, '/classification', classification);
    expect(res.status).toBe(200);
    expect(viewOf(res)).toMatchObject({ category: 'product', subType: 'not_as_described' });
    const timeline = await request(h.app).get(`/v1/complaints/${id}/timeline`).set('authorization', await h.bearer(as.supervisor));
    const entry = (timeline.body as Array<{ action: string; actor: { sub: string }; detail: { reason?: string } }>).find((e) => e.action === 'reclassified');
    expect(entry).toMatchObject({ actor: { sub: as.agent.sub }, detail: { reason: classification.reason } });
  });

  it('refuses a customer, a merchant and an agent who does not own the case (403)', async () => {
    for (const caller of [as.customer, as.merchant, otherAgent]) expect((await post(caller, '/classification', { ...classification, subType: 'expired' })).status).toBe(403);
  });

  it('refuses a sub-type of another category and a missing reason (400, naming the field)', async () => {
    const mismatch = await post(as.agent, '/classification', { category: 'product', subType: 'lost', reason: 'x' });
    expect(mismatch.status).toBe(400);
    expect(errorOf(mismatch).details.map((d) => d.path)).toContain('subType');
    const noReason = await post(as.agent, '/classification', { category: 'product', subType: 'expired' });
    expect(noReason.status).toBe(400);
    expect(errorOf(noReason).details.map((d) => d.path)).toContain('reason');
  });

  it('a supervisor sets the priority with a reason; an agent or the customer cannot; the same again is 409', async () => {
    const body = { priority: 'high', reason: 'The customer reports a burn from the kettle' };
    expect((await post(as.agent, '/priority', body)).status).toBe(403);
    expect((await post(as.customer, '/priority', body)).status).toBe(403);
    const res = await post(as.supervisor, '/priority', body);
    expect(res.status).toBe(200);
    expect(viewOf(res).priority).toBe('high');
    const again = await post(as.supervisor, '/priority', body);
    expect(again.status).toBe(409);
  });
});

describe('what the case view says of time', () => {
  it('the customer sees when the case is expected to be done, in Simplified Chinese and Beijing time', async () => {
    const res = await request(h.app).get(`/v1/complaints/${id}`).set('authorization', await h.bearer(as.customer));
    const v = viewOf(res);
    expect(v.expectedBy).toMatchObject({ locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(v.expectedBy!.at).toMatch(/\+08:00$/);
    expect(v.expectedBy!.text).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    // The latest of the deadlines running now.
    expect(Date.parse(v.expectedBy!.at)).toBe(Math.max(...v.deadlines.filter((d) => !['objection_window', 'satisfaction_callback', 'feedback'].includes(d.kind)).map((d) => Date.parse(d.dueAt))));
  });

  it('staff see when each deadline warns: a product case\'s 72 h target warns at 75 % of it, 54 h after opening', async () => {
    const v = viewOf(await request(h.app).get(`/v1/complaints/${id}`).set('authorization', await h.bearer(as.supervisor)));
    const target = v.deadlines.find((d) => d.kind === 'category_target');
    expect(target).toBeDefined();
    expect(Date.parse(target!.dueAt)).toBe(Date.parse(v.createdAt) + 72 * 3_600_000);
    expect(Date.parse(target!.warnAt!)).toBe(Date.parse(v.createdAt) + 54 * 3_600_000);
    expect(target!.warned).toBe(false);
  });

  it('staff see the share of each running window used', async () => {
    const v = viewOf(await request(h.app).get(`/v1/complaints/${id}`).set('authorization', await h.bearer(as.supervisor)));
    expect(v.deadlines.length).toBeGreaterThan(0);
    for (const d of v.deadlines) {
      expect(d.shareUsed).toBeGreaterThanOrEqual(0);
      expect(d.shareUsed).toBeLessThanOrEqual(1);
    }
  });
});
