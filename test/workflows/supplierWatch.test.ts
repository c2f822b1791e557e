import { DateTime } from 'luxon';
import { DEFAULT_POLICY } from '../../shared/policy';
import { policyVersionModel, seedPolicyVersion } from '../../store/policyVersions';
import { supplierFlagModel } from '../../store/supplierFlags';
import { SUPPLIER_WATCH_ID, type supplierWatchWorkflow } from '../../workflows/supplierWatch';
import { openCase, sandboxRecords } from '../support/cases';
import { type Harness, startHarness } from '../../dev/stack/harness';
import { DAY, HOUR, eventually, faults, skipTo, sleepUntil } from './helpers';

/**
 * docs/domain.md §11.6. Supplier tiering: a merchant whose returns over the last 30 days are more than
 * 15 % of its orders in those 30 days is flagged for suspension review, and merchant operations are
 * told the figures. The monthly summary: each merchant is sent its month's most frequent problems.
 * The figures are the domain's, written here; the expected flags are computed from the orders this
 * suite puts at the order service, never by the code under test.
 */

const RETURN_RATE_ABOVE = 0.15;
const WINDOW_MS = 30 * DAY;
const ZONE = 'Asia/Shanghai';

let h: Harness;
beforeEach(async () => {
  h = await startHarness('supplier-watch');
  await seedPolicyVersion(policyVersionModel(h.mongo), DEFAULT_POLICY, 'supplier watch test');
});
afterEach(async () => {
  await h?.close();
});

const suffix = () => Math.random().toString(36).slice(2, 8);
const alerts = async (template: string) =>
  (await sandboxRecords.sms(h, SUPPLIER_WATCH_ID)).filter((m) => m.template === `staff:${template}`);

async function startWatch() {
  const workflowId = `${SUPPLIER_WATCH_ID}-${h.taskQueue}`;
  h.started.push({ workflowId, test: expect.getState().currentTestName ?? 'supplier watch' });
  return h.env.client.workflow.start<typeof supplierWatchWorkflow>('supplierWatchWorkflow', {
    workflowId,
    taskQueue: h.taskQueue,
    args: [{}],
  });
}

/** One order: paid `paidDaysAgo` days before `now`, its goods back `returnedDaysAgo` days before (negative: after). */
interface Sale {
  paidDaysAgo: number;
  returnedDaysAgo?: number;
}

const sales = (n: number, paidDaysAgo: number, returnedDaysAgo?: number): Sale[] =>
  Array.from({ length: n }, () => ({ paidDaysAgo, returnedDaysAgo }));

async function putSales(merchantId: string, now: number, list: Sale[]): Promise<void> {
  for (const [i, s] of list.entries()) {
    const body = {
      customerId: `c-${merchantId}-${i}`,
      merchantId,
      amountPaidFen: 9_900,
      items: [{ sku: 'sku-1', quantity: 1, priceFen: 9_900 }],
      paidAt: new Date(now - s.paidDaysAgo * DAY).toISOString(),
      ...(s.returnedDaysAgo === undefined ? {} : { returnedAt: new Date(now - s.returnedDaysAgo * DAY).toISOString() }),
    };
    const res = await fetch(`${h.sandbox.url}/orders/o-${merchantId}-${i}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`PUT order: ${res.status} ${await res.text()}`);
  }
}

/** The rule of docs/domain.md §11.6 on the sales, over the 30 days before `at`. */
function expectedFigures(list: Sale[], nowMs: number, atMs: number) {
  const within = (daysAgo: number | undefined) =>
    daysAgo !== undefined && nowMs - daysAgo * DAY >= atMs - WINDOW_MS && nowMs - daysAgo * DAY < atMs;
  const orders = list.filter((s) => within(s.paidDaysAgo)).length;
  const returns = list.filter((s) => within(s.returnedDaysAgo)).length;
  return { orders, returns, flagged: orders > 0 && returns / orders > RETURN_RATE_ABOVE };
}

it('flags each merchant whose 30-day return rate is above 15 % once, and tells merchant operations the figures', async () => {
  const now = await h.env.currentTimeMs();
  const world: Record<string, Sale[]> = {
    // 4 of 20: 20 %.
    [`m-high-${suffix()}`]: [...sales(4, 10, 3), ...sales(16, 12)],
    // 3 of 20: 15 % is not above 15 %.
    [`m-at-${suffix()}`]: [...sales(3, 10, 3), ...sales(17, 12)],
    // 1 of 10 in the window; counted with the 5 returns of 35 days ago it would be 6 of 15.
    [`m-old-${suffix()}`]: [...sales(1, 10, 3), ...sales(9, 12), ...sales(5, 40, 35)],
    // Orders of 31 days ago returned 2 days ago count as returns now: 3 against the window's 10 orders.
    [`m-late-${suffix()}`]: [...sales(3, 31, 2), ...sales(10, 5)],
    // Crosses before tomorrow's round: 1 of 10 today, 3 of 10 once two returns come in an hour from now.
    [`m-next-${suffix()}`]: [...sales(1, 10, 3), ...sales(2, 10, -1 / 24), ...sales(7, 12)],
  };
  for (const [merchantId, list] of Object.entries(world)) await putSales(merchantId, now, list);
  const today = Object.fromEntries(Object.entries(world).map(([m, list]) => [m, expectedFigures(list, now, now)]));
  const flaggedToday = Object.keys(today)
    .filter((m) => today[m].flagged)
    .sort();
  expect(flaggedToday).toHaveLength(2);

  const watch = await startWatch();
  const first = await eventually(
    () => alerts('supplier_flagged'),
    (a) => a.length === flaggedToday.length,
    'the flags of the first round',
  );
  expect(first.every((a) => a.to === 'staff:merchant_ops')).toBe(true);
  for (const m of flaggedToday) {
    const alert = first.find((a) => a.text.includes(`商户 ${m} `));
    const { orders, returns } = today[m];
    expect(alert?.text).toContain(`退货 ${returns} / 订单 ${orders}`);
    expect(alert?.text).toContain(`${((returns / orders) * 100).toFixed(1)} %`);
    expect(alert?.text).toContain(`${(RETURN_RATE_ABOVE * 100).toFixed(1)} %`);
  }
  const stored = await supplierFlagModel(h.mongo).find().lean();
  expect(stored.map((f) => f.merchantId).sort()).toEqual(flaggedToday);
  for (const f of stored) {
    expect({ orders: f.orders, returns: f.returns, status: f.status }).toEqual({
      orders: today[f.merchantId].orders,
      returns: today[f.merchantId].returns,
      status: 'open',
    });
    expect(f.to.getTime() - f.from.getTime()).toBe(WINDOW_MS);
  }

  // The next round, at the start of service (09:00) the next day: the merchant that crossed since is
  // flagged; the two flagged before are not flagged again.
  const nextRound = DateTime.fromMillis(now, { zone: ZONE })
    .plus({ days: 1 })
    .set({ hour: 9, minute: 0, second: 0, millisecond: 0 })
    .toMillis();
  await skipTo(h, nextRound + HOUR);
  const crossed = Object.keys(world).filter(
    (m) => !today[m].flagged && expectedFigures(world[m], now, nextRound).flagged,
  );
  expect(crossed).toEqual([Object.keys(world)[4]]);
  const second = await eventually(
    () => alerts('supplier_flagged'),
    (a) => a.length > flaggedToday.length,
    'the second round',
  );
  expect(second.map((a) => a.text.match(/商户 (\S+) /)?.[1]).sort()).toEqual([...flaggedToday, ...crossed].sort());
  await watch.terminate();
});

it('a flag merchant operations cannot be told of goes to the operations manager', async () => {
  const now = await h.env.currentTimeMs();
  const merchantId = `m-high-${suffix()}`;
  await putSales(merchantId, now, [...sales(5, 10, 3), ...sales(15, 12)]);
  // Merchant operations' five tries fail; the operations manager's goes out.
  await faults(h, { service: 'sms', mode: 'error', rate: 1, count: 5 });
  const watch = await startWatch();
  const sent = await eventually(
    () => alerts('supplier_flagged'),
    (a) => a.length === 1,
    'the alert to the operations manager',
    60_000,
  );
  expect(sent[0].to).toBe('staff:ops_manager');
  expect(sent[0].text).toContain(`退货 5 / 订单 20`);
  await watch.terminate();
}, 120_000);

it("sends each merchant its month's most frequent problems on the first morning of the next month", async () => {
  // The cases open late on the month's last day, so the watch's first morning after is the next month's.
  const startOfNext = DateTime.fromMillis(await h.env.currentTimeMs(), { zone: ZONE })
    .startOf('month')
    .plus({ months: 1 });
  await skipTo(h, startOfNext.minus({ hours: 2 }).toMillis());
  const month = startOfNext.minus({ days: 1 }).toFormat('yyyy-MM');
  const [x, y] = [`m-x-${suffix()}`, `m-y-${suffix()}`];
  const opened = [
    { merchantId: x, category: 'product', subType: 'quality_defect' },
    { merchantId: x, category: 'product', subType: 'quality_defect' },
    { merchantId: x, category: 'product', subType: 'quality_defect' },
    { merchantId: x, category: 'product', subType: 'not_as_described' },
    { merchantId: x, category: 'logistics', subType: 'delayed' },
    { merchantId: x, category: 'logistics', subType: 'delayed' },
    { merchantId: y, category: 'service', subType: 'rude_agent' },
  ] as const;
  for (const c of opened) await openCase(h, { ...c, policy: DEFAULT_POLICY });
  await eventually(
    async () => h.mongo.collection('cases').countDocuments({ merchantId: { $in: [x, y] } }),
    (n) => n === opened.length,
    'the cases in the projection',
  );

  const watch = await startWatch();
  // Past the first round of the month (09:00).
  await sleepUntil(h, startOfNext.plus({ hours: 9, minutes: 30 }).toMillis());
  const summaries = async (m: string) =>
    (await sandboxRecords.notices(h, m)).filter((n) => n.kind === 'monthly_summary');
  for (const m of [x, y]) {
    const mine = opened.filter((c) => c.merchantId === m);
    const count = (key: 'subType' | 'category') => {
      const tally = new Map<string, number>();
      for (const c of mine) tally.set(c[key], (tally.get(c[key]) ?? 0) + 1);
      return tally;
    };
    const [notice] = await eventually(
      () => summaries(m),
      (n) => n.length === 1,
      `${m}'s summary`,
    );
    expect(notice.text).toContain(`【${month} 月度投诉汇总】商户 ${m} 本月共 ${mine.length} 件投诉`);
    for (const [subType, n] of count('subType')) expect(notice.text).toContain(`${subType} ${n} 件`);
    for (const [category, n] of count('category')) expect(notice.text).toContain(`${category} ${n} 件`);
  }
  // Most frequent first: x's quality defects (3) before its delays (2) before the one not as described.
  const [xs] = await summaries(x);
  expect(xs.text.indexOf('quality_defect 3')).toBeLessThan(xs.text.indexOf('delayed 2'));
  expect(xs.text.indexOf('delayed 2')).toBeLessThan(xs.text.indexOf('not_as_described 1'));
  await watch.terminate();
}, 180_000);

it('a summary the merchant portal refuses is an alert to merchant operations with the text to forward', async () => {
  const startOfNext = DateTime.fromMillis(await h.env.currentTimeMs(), { zone: ZONE })
    .startOf('month')
    .plus({ months: 1 });
  await skipTo(h, startOfNext.minus({ hours: 2 }).toMillis());
  const merchantId = `m-x-${suffix()}`;
  await openCase(h, { merchantId, category: 'logistics', subType: 'lost', policy: DEFAULT_POLICY });
  // The case's own copy to the merchant goes out first; the portal then refuses the next five notices.
  await eventually(
    () => sandboxRecords.notices(h, merchantId),
    (n) => n.some((x) => x.kind === 'complaint_copy'),
    'the complaint copy',
  );
  await faults(h, { service: 'merchants', mode: 'error', rate: 1, count: 5 });
  const watch = await startWatch();
  await sleepUntil(h, startOfNext.plus({ hours: 9, minutes: 30 }).toMillis());
  const [alert] = await eventually(
    () => alerts('merchant_summary_undelivered'),
    (a) => a.length === 1,
    'the undelivered summary alert',
    60_000,
  );
  expect(alert.to).toBe('staff:merchant_ops');
  expect(alert.text).toContain(`商户 ${merchantId} 本月共 1 件投诉`);
  expect((await sandboxRecords.notices(h, merchantId)).filter((n) => n.kind === 'monthly_summary')).toEqual([]);
  await watch.terminate();
}, 180_000);
