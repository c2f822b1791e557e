import request from 'supertest';
import { createSupplierWatchActivities } from '../../activities/supplierWatch';
import { SupplierFlagListV1, SupplierFlagV1 } from '../../api/routes/merchants';
import { Role } from '../../shared/domain';
import { callers, errorOf, silent, useApiHarness } from './support';

/**
 * Supplier tiering through the API (docs/domain.md §11.6): the supplier watch's round (its activity,
 * against the sandbox's order service) flags the merchants whose returns over 30 days are more than
 * 15 % of their orders; supervisors and operations managers list the flags with the figures and
 * decide each once (suspend or keep, with a reason), recorded in the flag's trail. The figures here
 * are the domain's, and the expected ones are counted from the orders put below.
 */

const h = useApiHarness();
const as = async (role: Role) => h.bearer(callers('c-sup', 'm-sup')[role]);
const DAY = 86_400_000;
const RETURN_RATE_ABOVE = 0.15;
const WINDOW_DAYS = 30;
const AT = new Date('2026-11-30T01:00:00.000Z');

/** Orders of a merchant: paid `paidDaysAgo` days before AT, some of them back `returnedDaysAgo` days before. */
function put(
  merchantId: string,
  n: number,
  paidDaysAgo: number,
  returnedDaysAgo?: number,
): Array<{ paid: number; returned?: number }> {
  const start =
    h.sandbox.store.merchantFigures(new Date(0), new Date(8.64e15)).find((m) => m.merchantId === merchantId)?.orders ??
    0;
  return Array.from({ length: n }, (_, i) => {
    const paid = AT.getTime() - paidDaysAgo * DAY;
    const returned = returnedDaysAgo === undefined ? undefined : AT.getTime() - returnedDaysAgo * DAY;
    h.sandbox.store.putOrder({
      orderId: `o-${merchantId}-${start + i}`,
      customerId: `c-${merchantId}-${start + i}`,
      merchantId,
      amountPaidFen: 5_000,
      items: [],
      paidAt: new Date(paid).toISOString(),
      ...(returned === undefined ? {} : { returnedAt: new Date(returned).toISOString() }),
    });
    return { paid, returned };
  });
}

const world: Record<string, Array<{ paid: number; returned?: number }>> = {};
let raised: string[] = [];

beforeAll(async () => {
  // m-a: 5 of 25 back (20 %); m-b: 3 of 20 (15 %, not above); m-c: 2 of 10 in the window, 6 more orders
  // paid and returned before it (counted, 8 of 16 = 50 %; not counted, 20 %).
  world['m-a'] = [...put('m-a', 5, 20, 4), ...put('m-a', 20, 6)];
  world['m-b'] = [...put('m-b', 3, 20, 4), ...put('m-b', 17, 6)];
  world['m-c'] = [...put('m-c', 2, 20, 4), ...put('m-c', 8, 6), ...put('m-c', 6, WINDOW_DAYS + 10, WINDOW_DAYS + 5)];
  const round = await createSupplierWatchActivities({
    connection: h.db.connection,
    orders: { baseUrl: h.sandbox.url, apiKey: h.config.PROVIDER_API_KEY, logger: silent },
  }).flagReturnRates({ at: AT.toISOString() });
  raised = (round?.raised ?? []).map((f) => f.merchantId).sort();
});

function expected(merchantId: string) {
  const from = AT.getTime() - WINDOW_DAYS * DAY;
  const inWindow = (t: number | undefined) => t !== undefined && t >= from && t < AT.getTime();
  const orders = world[merchantId].filter((o) => inWindow(o.paid)).length;
  const returns = world[merchantId].filter((o) => inWindow(o.returned)).length;
  return { orders, returns, rate: returns / orders };
}

async function flags(query = '', role: Role = 'supervisor') {
  return request(h.app)
    .get(`/v1/merchants/flags${query}`)
    .set('authorization', await as(role));
}
async function decide(flagId: string, body: object, role: Role = 'ops_manager') {
  return request(h.app)
    .post(`/v1/merchants/flags/${encodeURIComponent(flagId)}/decision`)
    .set('authorization', await as(role))
    .send(body);
}

it('lists the merchants above 15 % over the last 30 days, with the figures and the window', async () => {
  const above = Object.keys(world)
    .filter((m) => expected(m).rate > RETURN_RATE_ABOVE)
    .sort();
  expect(above).toEqual(['m-a', 'm-c']);
  expect(raised).toEqual(above);
  const res = await flags();
  expect(res.status).toBe(200);
  const { items } = SupplierFlagListV1.parse(res.body);
  expect(items.map((f) => f.merchantId).sort()).toEqual(above);
  for (const f of items) {
    const want = expected(f.merchantId);
    expect({
      orders: f.orders,
      returns: f.returns,
      threshold: f.threshold,
      status: f.status,
      decision: f.decision,
    }).toEqual({
      orders: want.orders,
      returns: want.returns,
      threshold: RETURN_RATE_ABOVE,
      status: 'open',
      decision: null,
    });
    expect(f.rate).toBeCloseTo(want.rate, 10);
    expect(f.window).toEqual({ from: new Date(AT.getTime() - WINDOW_DAYS * DAY).toISOString(), to: AT.toISOString() });
  }
});

it('raises no second flag for a merchant flagged within the window', async () => {
  const again = await createSupplierWatchActivities({
    connection: h.db.connection,
    orders: { baseUrl: h.sandbox.url, apiKey: h.config.PROVIDER_API_KEY, logger: silent },
  }).flagReturnRates({ at: new Date(AT.getTime() + DAY).toISOString() });
  expect(again?.raised).toEqual([]);
  expect(SupplierFlagListV1.parse((await flags()).body).items).toHaveLength(2);
});

it('records a decision once, with who, when and why; a second decision is 409', async () => {
  const { items } = SupplierFlagListV1.parse((await flags('?merchantId=m-a')).body);
  const flagId = items[0].flagId;
  const res = await decide(flagId, { decision: 'suspend', reason: '退货率连续偏高，暂停上新' });
  expect(res.status).toBe(200);
  const flag = SupplierFlagV1.parse(res.body);
  expect(flag.status).toBe('suspend');
  expect(flag.decision).toMatchObject({
    decision: 'suspend',
    by: { sub: 'ops-1', role: 'ops_manager' },
    reason: '退货率连续偏高，暂停上新',
  });
  expect(flag.events.map((e) => e.action)).toEqual(['raised', 'suspend']);

  const twice = await decide(flagId, { decision: 'keep', reason: 'Second thoughts' }, 'supervisor');
  expect(twice.status).toBe(409);
  expect(errorOf(twice).code).toBe('already_decided');
  const listed = SupplierFlagListV1.parse((await flags('?status=suspend', 'ops_manager')).body).items;
  expect(listed.map((f) => [f.flagId, f.decision?.by.sub])).toEqual([[flagId, 'ops-1']]);
  expect(SupplierFlagListV1.parse((await flags('?status=open')).body).items.map((f) => f.merchantId)).toEqual(['m-c']);
});

it("refuses a caller's mistakes with the field and the reason, and other roles with 403", async () => {
  const [open] = SupplierFlagListV1.parse((await flags('?status=open')).body).items;
  const blank = await decide(open.flagId, { decision: 'keep', reason: '  ' });
  expect(blank.status).toBe(400);
  expect(errorOf(blank).details.map((d) => d.path)).toContain('reason');
  const word = await decide(open.flagId, { decision: 'ban', reason: 'x' });
  expect(errorOf(word).details.map((d) => d.path)).toContain('decision');
  expect((await decide('m-none.2026-01-01', { decision: 'keep', reason: 'x' })).status).toBe(404);
  expect((await decide('not a flag', { decision: 'keep', reason: 'x' })).status).toBe(400);
  expect((await flags('?status=maybe')).status).toBe(400);
  expect((await flags('?cursor=abc')).status).toBe(400);
  for (const role of ['agent', 'compliance', 'merchant', 'customer'] as const) {
    expect((await flags('', role)).status).toBe(403);
    expect((await decide(open.flagId, { decision: 'keep', reason: 'x' }, role)).status).toBe(403);
  }
});

it('pages newest first with an opaque cursor', async () => {
  const first = SupplierFlagListV1.parse((await flags('?limit=1')).body);
  expect(first.items).toHaveLength(1);
  const second = SupplierFlagListV1.parse((await flags(`?limit=1&cursor=${first.nextCursor}`)).body);
  expect(second.items).toHaveLength(1);
  expect(second.items[0].flagId).not.toBe(first.items[0].flagId);
  expect(second.nextCursor).toBeNull();
});
