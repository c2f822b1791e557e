import request from 'supertest';
import { encodeCursor } from '../../store/cases';
import { useApiHarness, errorOf, callers, openBody, party, putOrder } from './support';

const h = useApiHarness();
const p = party();
const as = callers(p.customerId, p.merchantId);
beforeAll(() => {
  putOrder(h.sandbox, p);
});

/** Every validation failure is a 400 naming each field at fault, and never reaches Temporal. */
async function expect400(pending: PromiseLike<request.Response>, paths: string[]): Promise<void> {
  const res = await pending;
  expect(res.status).toBe(400);
  expect(errorOf(res).code).toBe('invalid_request');
  const reported = (errorOf(res).details as Array<{ path: string; message: string }>).map((d) => d.path);
  for (const path of paths) expect(reported).toContain(path);
  for (const detail of errorOf(res).details) expect(detail.message).toEqual(expect.any(String));
}

describe('POST /v1/complaints validation', () => {
  const open = async (body: unknown) =>
    request(h.app)
      .post('/v1/complaints')
      .set('authorization', await h.bearer(as.agent))
      .send(body as object);

  it('lists every missing field of an empty body', async () => {
    await expect400(open({}), ['channel', 'customer', 'order', 'subType', 'description', 'desiredOutcome']);
  });

  it.each([
    ['an unknown channel', { channel: 'fax' }, 'channel'],
    ['a phone that is not one', { customer: { id: p.customerId, name: 'Li', phone: 'call me' } }, 'customer.phone'],
    ['an empty order id', { order: { orderId: '', merchantId: p.merchantId, sku: p.sku } }, 'order.orderId'],
    ['an unknown sub-type', { subType: 'bored' }, 'subType'],
    ['a category that does not own the sub-type', { category: 'logistics', subType: 'quality_defect' }, 'subType'],
    ['an evidence url that is not one', { evidence: [{ kind: 'photo', url: 'leak.jpg' }] }, 'evidence.0.url'],
    ['an unknown priority', { priority: 'urgent' }, 'priority'],
    ['an empty description', { description: '' }, 'description'],
  ])('400 for %s', async (_what, change, path) => {
    await expect400(open(openBody(p, change)), [path]);
  });

  it('400 for malformed JSON', async () => {
    const res = await request(h.app)
      .post('/v1/complaints')
      .set('authorization', await h.bearer(as.agent))
      .set('content-type', 'application/json')
      .send('{"channel": "app",');
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'invalid_request', details: [{ path: '(body)' }] });
  });
});

describe('action body validation', () => {
  const act = async (path: string, body: unknown, role: keyof typeof as = 'agent') =>
    request(h.app)
      .post(`/v1/complaints/cmp-any/${path}`)
      .set('authorization', await h.bearer(as[role]))
      .send(body as object);

  it.each([
    ['assign', {}, 'agentId'],
    ['assign', { agentId: '   ' }, 'agentId'],
    ['first-response', { message: '' }, 'message'],
    ['evidence', { items: [] }, 'items'],
    ['investigation/extend', {}, 'reason'],
    ['investigation/brief', { responsibility: 'aliens', findings: 'x' }, 'responsibility'],
    ['resolution', { type: 'refund', note: 'full refund' }, 'amountFen'],
    ['resolution', { type: 'coupon', note: 'sorry' }, 'couponFen'],
    ['resolution', { type: 'refund', amountFen: -5, note: 'x' }, 'amountFen'],
    ['resolution', { type: 'cash', note: 'x' }, 'type'],
  ])('400 for %s with %j', async (path, body, field) => {
    await expect400(act(path, body), [field]);
  });

  it.each([
    ['approval', { decision: 'maybe', reason: 'x' }, 'decision', 'supervisor'],
    ['return-shipment', { carrier: 'SF' }, 'waybillNo', 'customer'],
    ['return-received', { inspection: 'fine' }, 'inspection', 'merchant'],
    ['customer-response', { accept: 'yes' }, 'accept', 'customer'],
    ['satisfaction', { rating: 6 }, 'rating', 'customer'],
    ['satisfaction', { rating: 2.5 }, 'rating', 'customer'],
  ] as const)('400 for %s with %j', async (path, body, field, role) => {
    await expect400(act(path, body, role), [field]);
  });
});

describe('query validation', () => {
  const list = async (query: string) =>
    request(h.app)
      .get(`/v1/complaints?${query}`)
      .set('authorization', await h.bearer(as.agent));

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['status=lost', 'status'],
    ['escalationLevel=3', 'escalationLevel'],
    ['breached=perhaps', 'breached'],
    // Only the words the document lists: an empty level is no level 0, yes/1/on are no booleans here.
    ['escalationLevel=', 'escalationLevel'],
    ['escalationLevel=1.0', 'escalationLevel'],
    ['escalationLevel=%201', 'escalationLevel'],
    ['breached=yes', 'breached'],
    ['breached=1', 'breached'],
    ['breached=', 'breached'],
    ['from=yesterday', 'from'],
    ['from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'to'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ])('400 for GET /v1/complaints?%s', async (query, field) => {
    await expect400(list(query), [field]);
  });

  it('accepts a cursor it handed out', async () => {
    const cursor = encodeCursor({ createdAt: new Date('2026-11-01T00:00:00Z'), complaintId: 'cmp-x' });
    expect((await list(`cursor=${cursor}&breached=true&escalationLevel=1`)).status).toBe(200);
  });

  it.each([
    ['', ['from', 'to']],
    ['from=2026-11-01T00:00:00+08:00', ['to']],
    ['from=2026-11-01T00:00:00+08:00&to=2026-10-01T00:00:00+08:00', ['to']],
  ])('400 for GET /v1/reports/summary?%s', async (query, fields) => {
    await expect400(
      request(h.app)
        .get(`/v1/reports/summary?${query}`)
        .set('authorization', await h.bearer(as.supervisor)),
      fields,
    );
  });
});

describe('requests the API cannot read', () => {
  it.each(['%ZZ', '%E0%A4%A', '%', 'cmp-x%'])(
    '400 naming the path for a case id that does not percent-decode: %s',
    async (id) => {
      const auth = await h.bearer(as.agent);
      await expect400(request(h.app).get(`/v1/complaints/${id}`).set('authorization', auth), ['(path)']);
      await expect400(
        request(h.app).post(`/v1/complaints/${id}/assign`).set('authorization', auth).send({ agentId: 'agent-7' }),
        ['(path)'],
      );
    },
  );

  it.each(['gzip', 'deflate', 'br'])('400 naming the body for a body that does not inflate as %s', async (encoding) => {
    const res = request(h.app)
      .post('/v1/complaints/cmp-any/assign')
      .set('authorization', await h.bearer(as.agent))
      .set('content-type', 'application/json')
      .set('content-encoding', encoding)
      .send('{"agentId":"agent-7"}');
    await expect400(res, ['(body)']);
  });
});
