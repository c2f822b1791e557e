import request from 'supertest';
import type { TimelineEntryV1 } from '../../shared/caseView';
import { appendAudit } from '../../store/audit';
import { writeCase } from '../../store/cases';
import { SummaryReportV1 } from '../../store/reports';
import { caseView } from '../../dev/builders';
import { useApiHarness, pageOf, errorOf, callers, openBody, party, putOrder } from './support';

/**
 * Reads and refusals that need no running case: the cases here exist only in the projection, as a
 * case does once Temporal no longer keeps its workflow.
 */

const h = useApiHarness();
const p = party();
const as = callers(p.customerId, p.merchantId);
const stranger = callers(`${p.customerId}-x`, `${p.merchantId}-x`);
const archived = caseView({
  complaintId: `cmp-${p.customerId}-archived`,
  status: 'closed',
  closedAt: '2026-11-25T10:00:00.000Z',
  closeReason: 'resolved',
  customer: { id: p.customerId, name: 'Li Lei', phone: '+8613800000000', memberTier: 'regular' },
  order: {
    orderId: p.orderId,
    merchantId: p.merchantId,
    sku: p.sku,
    amountPaidFen: 12_900,
    paidAt: '2026-11-01T10:00:00+08:00',
  },
});
const entry: TimelineEntryV1 = {
  seq: 1,
  at: '2026-11-23T10:00:00.000Z',
  actor: { sub: p.customerId, role: 'customer' },
  action: 'complaint_opened',
  detail: {},
  result: 'ok',
};

beforeAll(async () => {
  putOrder(h.sandbox, p);
  await writeCase(h.db.cases, archived, 40);
  await appendAudit(h.db.audit, archived.complaintId, [entry], 3);
});

describe('a case past Temporal retention is read from the projection', () => {
  it.each(['agent', 'compliance'] as const)('GET one as %s: all of it', async (role) => {
    const res = await request(h.app)
      .get(`/v1/complaints/${archived.complaintId}`)
      .set('authorization', await h.bearer(as[role]));
    expect(res.status).toBe(200);
    // Staff also read who signed for the parcel (docs/domain.md §6.1): this order names none.
    expect(res.body).toEqual({ ...archived, parcel: null });
  });

  it.each(['customer', 'merchant'] as const)(
    'GET one as its %s: what is theirs (docs/domain.md §10.3)',
    async (role) => {
      const res = await request(h.app)
        .get(`/v1/complaints/${archived.complaintId}`)
        .set('authorization', await h.bearer(as[role]));
      expect(res.status).toBe(200);
      // Staff's classification reasons are not theirs; the merchant gets neither the customer's phone nor their member tier.
      const { memberTier, ...customer } = archived.customer;
      expect(res.body).toMatchObject({
        ...archived,
        customer: role === 'merchant' ? { ...customer, phone: '' } : { ...customer, memberTier },
        priorityReasons: [],
      });
      if (role === 'merchant') expect(res.body).not.toHaveProperty('customer.memberTier');
    },
  );

  it("GET its timeline from the audit log, in the party's labels", async () => {
    const res = await request(h.app)
      .get(`/v1/complaints/${archived.complaintId}/timeline`)
      .set('authorization', await h.bearer(as.customer));
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ ...entry, action: 'complaint_received' }]);
  });

  it('an action on it answers 409 case_closed with its id', async () => {
    const res = await request(h.app)
      .post(`/v1/complaints/${archived.complaintId}/assign`)
      .set('authorization', await h.bearer(as.supervisor))
      .send({ agentId: 'agent-7' });
    expect(res.status).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'case_closed', complaintId: archived.complaintId });
  });
});

describe("other people's cases are not found", () => {
  it.each(['customer', 'merchant'] as const)('404 on GET one for another %s', async (role) => {
    const res = await request(h.app)
      .get(`/v1/complaints/${archived.complaintId}`)
      .set('authorization', await h.bearer(stranger[role]));
    expect(res.status).toBe(404);
    expect(errorOf(res)).toMatchObject({ code: 'not_found', complaintId: archived.complaintId });
  });

  it.each(['customer', 'merchant'] as const)('404 on the timeline for another %s', async (role) => {
    const res = await request(h.app)
      .get(`/v1/complaints/${archived.complaintId}/timeline`)
      .set('authorization', await h.bearer(stranger[role]));
    expect(res.status).toBe(404);
  });

  it.each([
    ['customer', 'evidence', { items: [{ kind: 'photo', url: 'https://img.example.com/x.jpg' }] }],
    ['customer', 'satisfaction', { rating: 5 }],
    ['merchant', 'merchant-reply', { message: 'we will refund' }],
    ['merchant', 'repair-completed', {}],
  ] as const)('404 when another %s acts on it (%s)', async (role, path, body) => {
    const res = await request(h.app)
      .post(`/v1/complaints/${archived.complaintId}/${path}`)
      .set('authorization', await h.bearer(stranger[role]))
      .send(body);
    expect(res.status).toBe(404);
  });

  it('404 for a case that never existed', async () => {
    const res = await request(h.app)
      .get('/v1/complaints/cmp-never-was')
      .set('authorization', await h.bearer(as.agent));
    expect(res.status).toBe(404);
  });
});

describe('GET /v1/complaints', () => {
  const mine = Array.from({ length: 5 }, (_, i) =>
    caseView({
      complaintId: `cmp-${p.merchantId}-${i}`,
      createdAt: `2026-11-2${i}T08:00:00.000Z`,
      priority: i < 2 ? 'high' : 'low',
      order: {
        orderId: `o-${i}`,
        merchantId: p.merchantId,
        sku: p.sku,
        amountPaidFen: 100,
        paidAt: '2026-11-01T00:00:00Z',
      },
    }),
  );
  const theirs = caseView({
    complaintId: `cmp-${p.merchantId}-theirs`,
    order: {
      orderId: 'o-t',
      merchantId: `${p.merchantId}-x`,
      sku: 's',
      amountPaidFen: 1,
      paidAt: '2026-11-01T00:00:00Z',
    },
  });

  beforeAll(async () => {
    await Promise.all([...mine, theirs].map((v) => writeCase(h.db.cases, v, 1)));
  });

  it('pages through a filter with an opaque cursor', async () => {
    const auth = await h.bearer(as.supervisor);
    const first = await request(h.app)
      .get(`/v1/complaints?merchantId=${p.merchantId}&priority=low&limit=2`)
      .set('authorization', auth);
    expect(first.status).toBe(200);
    const firstPage = pageOf(first);
    expect(firstPage.items.map((v) => v.complaintId)).toEqual([mine[4]?.complaintId, mine[3]?.complaintId]);
    const second = await request(h.app)
      .get(`/v1/complaints?merchantId=${p.merchantId}&priority=low&limit=2&cursor=${firstPage.nextCursor}`)
      .set('authorization', auth);
    expect(pageOf(second)).toEqual({ items: [mine[2]], nextCursor: null });
  });

  it('shows a merchant only its own cases, whatever merchantId it asks for', async () => {
    const res = await request(h.app)
      .get(`/v1/complaints?merchantId=${p.merchantId}-x&limit=100`)
      .set('authorization', await h.bearer(as.merchant));
    expect(res.status).toBe(200);
    const { items } = pageOf(res);
    expect(items.map((v) => v.complaintId)).toEqual(expect.arrayContaining(mine.map((v) => v.complaintId)));
    expect(items.every((v) => v.order.merchantId === p.merchantId)).toBe(true);
  });
});

describe('POST /v1/complaints refused by the order lookup', () => {
  const open = async (body: unknown, role: 'agent' | 'customer' = 'agent') =>
    request(h.app)
      .post('/v1/complaints')
      .set('authorization', await h.bearer(as[role]))
      .send(body as object);

  it('422 unknown_order for an order the order service does not know', async () => {
    const res = await open(openBody({ ...p, orderId: `${p.orderId}-nope` }));
    expect(res.status).toBe(422);
    expect(errorOf(res)).toMatchObject({ code: 'unknown_order', details: [{ path: 'order.orderId' }] });
  });

  it("422 for someone else's order", async () => {
    const other = party();
    putOrder(h.sandbox, other);
    const res = await open(openBody({ ...other, customerId: p.customerId }), 'customer');
    expect(res.status).toBe(422);
    expect(errorOf(res)).toMatchObject({ code: 'unknown_order', details: [{ path: 'customer.id' }] });
  });

  it('422 for the wrong merchant or a product not in the order', async () => {
    const wrongMerchant = await open(openBody({ ...p, merchantId: 'm-other' }));
    expect(wrongMerchant.status).toBe(422);
    expect(errorOf(wrongMerchant).details).toEqual([expect.objectContaining({ path: 'order.merchantId' })]);
    const wrongSku = await open(openBody({ ...p, sku: 'sku-other' }));
    expect(wrongSku.status).toBe(422);
    expect(errorOf(wrongSku).details).toEqual([expect.objectContaining({ path: 'order.sku' })]);
  });

  it('503 when the order service is down, nothing opened', async () => {
    h.sandbox.faults.arm({ service: 'orders', mode: 'error', rate: 1 });
    try {
      const res = await open(openBody(p));
      expect(res.status).toBe(503);
      expect(errorOf(res).code).toBe('unavailable');
    } finally {
      h.sandbox.faults.clear();
    }
  });
});

describe('GET /v1/reports/summary', () => {
  it('answers the report for a period', async () => {
    const res = await request(h.app)
      .get('/v1/reports/summary?from=2026-11-01T00:00:00%2B08:00&to=2026-12-01T00:00:00%2B08:00')
      .set('authorization', await h.bearer(as.ops_manager));
    expect(res.status).toBe(200);
    const report = SummaryReportV1.parse(res.body);
    expect(report.period.timeZone).toBe('Asia/Shanghai');
    expect(report.volume.total).toBeGreaterThanOrEqual(7);
    expect(report.topMerchants[0]).toEqual({ merchantId: p.merchantId, count: 6 });
  });
});
