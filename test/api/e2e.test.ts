import request from 'supertest';
import { TimelineEntryV1 } from '../../shared/caseView';
import { complaintWorkflowId } from '../../shared/identity';
import { useApiHarness, pageOf, viewOf, errorOf, callers, openBody, party, putOrder } from './support';
import { eventually } from '../support/poll';

/** The whole path through HTTP: the API, a real worker running the complaint workflow, MongoDB. */

const h = useApiHarness({ worker: true });
const p = party();
const as = callers(p.customerId, p.merchantId);
const stranger = callers(`${p.customerId}-x`, `${p.merchantId}-x`);
const otherAgent = { sub: 'agent-8', role: 'agent' as const };

beforeAll(() => {
  putOrder(h.sandbox, p);
});

describe('a complaint from intake to the first response', () => {
  const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
  const call = (claims: (typeof as)[keyof typeof as]) => ({
    get: async (path: string) =>
      request(h.app)
        .get(path)
        .set('authorization', await h.bearer(claims)),
    post: async (path: string, body: object) =>
      request(h.app)
        .post(path)
        .set('authorization', await h.bearer(claims))
        .send(body),
  });

  it('opens a case: 201 with the view, classified and priced from the order', async () => {
    const res = await call(as.customer).post('/v1/complaints', openBody(p));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/complaints/${id}`);
    const view = viewOf(res);
    expect(view).toMatchObject({
      complaintId: id,
      workflowId: id,
      category: 'product',
      subType: 'quality_defect',
      priority: 'medium',
      channel: 'app',
      owner: null,
      round: 1,
      repeatOf: null,
      order: { orderId: p.orderId, merchantId: p.merchantId, sku: p.sku, amountPaidFen: 12_900 },
    });
    expect(view.evidence).toHaveLength(1);
    // The keyword suggestion is staff's working, not the customer's to see (docs/domain.md §10.3).
    expect(view.suggestedCategory).toBeNull();
    const staff = await call(as.agent).get(`/v1/complaints/${id}`);
    expect(viewOf(staff).suggestedCategory).toEqual({ category: 'product', template: 'quality_check' });
  });

  it('joins the same complaint from another channel: 200 with the same case', async () => {
    const res = await call(as.agent).post(
      '/v1/complaints',
      openBody(p, { channel: 'phone', evidence: [{ kind: 'video', url: 'https://img.example.com/leak.mp4' }] }),
    );
    expect(res.status).toBe(200);
    expect(viewOf(res)).toMatchObject({ complaintId: id, evidence: [{ kind: 'photo' }, { kind: 'video' }] });
  });

  it('shows the case to its parties and to staff, and to nobody else', async () => {
    expect((await call(as.customer).get(`/v1/complaints/${id}`)).status).toBe(200);
    expect((await call(as.merchant).get(`/v1/complaints/${id}`)).status).toBe(200);
    expect((await call(as.compliance).get(`/v1/complaints/${id}`)).status).toBe(200);
    expect((await call(stranger.customer).get(`/v1/complaints/${id}`)).status).toBe(404);
    expect((await call(stranger.merchant).get(`/v1/complaints/${id}/timeline`)).status).toBe(404);
    expect(
      (await call(stranger.merchant).post(`/v1/complaints/${id}/merchant-reply`, { message: 'not ours' })).status,
    ).toBe(404);
  });

  it('lets an agent take the case for themself only', async () => {
    const forSomeoneElse = await call(otherAgent).post(`/v1/complaints/${id}/assign`, { agentId: 'agent-7' });
    expect(forSomeoneElse.status).toBe(403);
    expect(errorOf(forSomeoneElse)).toMatchObject({ code: 'forbidden', complaintId: id });

    const res = await call(as.agent).post(`/v1/complaints/${id}/assign`, { agentId: 'agent-7' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ owner: 'agent-7', status: 'in_progress' });
  });

  it('takes the first response from the owner only, once', async () => {
    const notOwner = await call(otherAgent).post(`/v1/complaints/${id}/first-response`, {
      message: 'Hello, I will look into it',
    });
    expect(notOwner.status).toBe(403);
    expect(errorOf(notOwner).code).toBe('not_owner');

    const res = await call(as.agent).post(`/v1/complaints/${id}/first-response`, {
      message: 'Sorry about the kettle; we are checking with the merchant.',
    });
    expect(res.status).toBe(200);
    expect(viewOf(res).firstResponse).toMatchObject({ by: 'agent-7' });

    const again = await call(as.agent).post(`/v1/complaints/${id}/first-response`, { message: 'Hello again' });
    expect(again.status).toBe(409);
    expect(errorOf(again)).toMatchObject({ code: 'wrong_stage', complaintId: id });
  });

  it("takes the customer's own evidence", async () => {
    const res = await call(as.customer).post(`/v1/complaints/${id}/evidence`, {
      items: [{ kind: 'photo', url: 'https://img.example.com/2.jpg' }],
    });
    expect(res.status).toBe(200);
    expect(viewOf(res).evidence).toHaveLength(3);
  });

  it('answers the live view and the timeline', async () => {
    const view = await call(as.customer).get(`/v1/complaints/${id}`);
    expect(view.body).toMatchObject({ status: 'in_progress', owner: 'agent-7' });
    const timeline = await call(as.agent).get(`/v1/complaints/${id}/timeline`);
    expect(timeline.status).toBe(200);
    const actions = TimelineEntryV1.array()
      .parse(timeline.body)
      .map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'complaint_opened',
        'duplicate_submission_joined',
        'assigned',
        'first_response',
        'evidence_added',
      ]),
    );
    expect(actions.indexOf('complaint_opened')).toBeLessThan(actions.indexOf('assigned'));
  });

  it('lists the case from the projection once the workflow wrote it', async () => {
    const list = async () => pageOf(await call(as.agent).get(`/v1/complaints?merchantId=${p.merchantId}`));
    const page = await eventually(
      list,
      (b) => b.items[0]?.firstResponse !== null && b.items[0]?.evidence.length === 3,
      'the first response and three evidence items listed',
    );
    expect(page.items.map((v) => v.complaintId)).toEqual([id]);
    expect(page.items[0]).toMatchObject({ status: 'in_progress', owner: 'agent-7' });

    const merchantPage = await call(as.merchant).get('/v1/complaints');
    expect(pageOf(merchantPage).items.map((v) => v.complaintId)).toEqual([id]);
    expect(pageOf(await call(stranger.merchant).get('/v1/complaints')).items).toEqual([]);
    const filtered = await call(as.supervisor).get(`/v1/complaints?merchantId=${p.merchantId}&status=closed`);
    expect(pageOf(filtered).items).toEqual([]);
  });

  it('once the case is over, refuses actions (409) and opens a repeat complaint under the next id', async () => {
    await h.temporal.workflow.getHandle(id).terminate('test: the case ends here');
    const action = await call(as.agent).post(`/v1/complaints/${id}/investigation/extend`, {
      reason: 'waiting for the lab',
    });
    expect(action.status).toBe(409);
    expect(errorOf(action)).toMatchObject({ code: 'case_closed', complaintId: id });

    const repeat = await call(as.customer).post('/v1/complaints', openBody(p));
    expect(repeat.status).toBe(201);
    expect(repeat.body).toMatchObject({
      complaintId: complaintWorkflowId(p.customerId, p.orderId, 'quality_defect', 2),
      repeatOf: id,
    });
  });
});
