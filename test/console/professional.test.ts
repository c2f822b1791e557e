import { writeCase } from '../../store/cases';
import type { CaseViewV1 } from '../../shared/caseView';
import { startApi, type ApiHarness } from '../api/support';
import { caseView } from '../../dev/builders';
import { type ConsoleWorld, serveConsole, signIn as signInTo } from './browser';

/**
 * The console's 职业投诉人 page (docs/console.md) and the reports page's attribution section, in
 * headless Chromium against the real API. A customer complains to three merchants with one template
 * (one character changed each time: 15 character bigrams each, 14 shared, so 14 / 16 = 87.5 % alike)
 * and to two of them once more about other things: five cases, listed under the default
 * policy (5 cases in 90 days, 60 % alike across 2 merchants); another customer's five plain cases are not.
 */

let h: ApiHarness;
let world: ConsoleWorld;
/** June's cases, as written: the report's repeat figures are counted from them. */
let juneCases: CaseViewV1[] = [];
const signIn = (role: string, sub: string) => signInTo(world, role, sub);

const TEMPLATE = [
  '商品标签没有生产日期，要求十倍赔偿',
  '食品标签没有生产日期，要求十倍赔偿',
  '饮品标签没有生产日期，要求十倍赔偿',
];
const PLAIN = ['水壶漏水', '屏幕有划痕', '快递丢件', '颜色不符', '少发配件'];
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

let n = 0;
/** A case of `customer` on an order of its own (`o-<n>`) unless `extra.order` names one. */
function filed(
  customer: string,
  merchant: string,
  description: string,
  createdAt: string,
  extra: Omit<Partial<CaseViewV1>, 'order'> & { order?: Partial<CaseViewV1['order']> } = {},
): CaseViewV1 {
  const base = caseView();
  n++;
  return caseView({
    complaintId: `cmp.${customer}.o-${n}.quality_defect`,
    customer: { ...base.customer, id: customer },
    order: { ...base.order, orderId: `o-${n}`, merchantId: merchant, ...extra.order },
    description,
    createdAt,
    ...(extra.category ? { category: extra.category } : {}),
    ...(extra.investigation ? { investigation: extra.investigation } : {}),
    ...(extra.satisfaction ? { satisfaction: extra.satisfaction } : {}),
  });
}

/** A case's only round rated `rating` at `at`. */
const rated = (rating: number, at: string): CaseViewV1['satisfaction'] => ({
  rating,
  comment: null,
  callbackSentAt: null,
  at,
  rounds: [{ round: 1, rating, comment: null, at }],
});

beforeAll(async () => {
  h = await startApi();
  const cases = [
    ...TEMPLATE.map((text, i) => filed('c-pro', `m-${i + 1}`, text, daysAgo(10 - i))),
    filed('c-pro', 'm-1', '快递三天没有更新物流', daysAgo(6)),
    filed('c-pro', 'm-2', '客服态度很差', daysAgo(5)),
    ...PLAIN.map((text, i) => filed('c-plain', `m-${(i % 2) + 1}`, text, daysAgo(20 - i))),
  ];
  // June 2026: two parcels of sf, one its fault; one of yto, not its fault; a fourth case without a parcel,
  // c-j3's second complaint about the same order (o-j3). Ratings: c-j1 5, c-j2 3, c-j3 5 then 2 on its later case.
  const brief = (responsibility: 'carrier' | 'merchant') => ({
    ...caseView().investigation,
    brief: { responsibility, findings: 'found', by: 'agent-7', at: '2026-06-12T02:00:00.000Z' },
  });
  const june = [
    filed('c-j1', 'm-1', '快递丢件', '2026-06-10T02:00:00.000Z', {
      category: 'logistics',
      order: { carrier: 'sf', waybillNo: 'sf-1' },
      investigation: brief('carrier'),
      satisfaction: rated(5, '2026-06-20T02:00:00.000Z'),
    }),
    filed('c-j2', 'm-1', '水壶漏水', '2026-06-11T02:00:00.000Z', {
      order: { carrier: 'sf', waybillNo: 'sf-2' },
      investigation: brief('merchant'),
      satisfaction: rated(3, '2026-06-20T02:00:00.000Z'),
    }),
    filed('c-j3', 'm-2', '快递延误', '2026-06-12T02:00:00.000Z', {
      category: 'logistics',
      order: { orderId: 'o-j3', carrier: 'yto', waybillNo: 'yto-1' },
      investigation: brief('merchant'),
      satisfaction: rated(5, '2026-06-20T02:00:00.000Z'),
    }),
    filed('c-j3', 'm-2', '颜色不符', '2026-06-13T02:00:00.000Z', {
      order: { orderId: 'o-j3' },
      satisfaction: rated(2, '2026-06-25T02:00:00.000Z'),
    }),
  ];
  // The 30 days before June: two cases.
  const may = [
    filed('c-m1', 'm-1', '水壶漏水', '2026-05-15T02:00:00.000Z'),
    filed('c-m2', 'm-2', '屏幕有划痕', '2026-05-20T02:00:00.000Z'),
  ];
  juneCases = june;
  await Promise.all([...cases, ...june, ...may].map((v) => writeCase(h.db.cases, v, 1)));
  // The order service's June: 200 orders paid, 10 of them returned.
  for (let i = 0; i < 200; i++) {
    h.sandbox.store.putOrder({
      orderId: `o-june-${i}`,
      customerId: 'c-buyer',
      merchantId: 'm-1',
      amountPaidFen: 100,
      items: [{ sku: 'sku-1', quantity: 1, priceFen: 100 }],
      paidAt: '2026-06-05T02:00:00.000Z',
      ...(i < 10 && { returnedAt: '2026-06-20T02:00:00.000Z' }),
    });
  }
  world = await serveConsole(h);
}, 120_000);

afterAll(async () => {
  await world?.close();
  await h?.close();
});

describe('the 职业投诉人 page', () => {
  it('shows compliance the listed customer with the alike texts and their similarity, and decides nothing', async () => {
    const page = await signIn('compliance', 'cmp-1');
    await page.locator('nav a', { hasText: '职业投诉人' }).click();
    await page.locator('main h1').filter({ hasText: '疑似职业投诉人' }).waitFor();
    expect(await page.locator('main .notice').innerText()).toContain('仅供法务审核');
    expect(await page.locator('#pro-rule').innerText()).toContain('至少 5 件');
    const rows = await page.locator('#pro-suspects tbody tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/c-pro\s+5\s+m-1、m-2、m-3\s+m-1、m-2、m-3\s+87\.5%/);
    const evidence = page.locator('section[data-customer="c-pro"]');
    const texts = await evidence.locator('.pro-evidence tbody tr').allInnerTexts();
    expect(texts.map((r) => TEMPLATE.find((t) => r.includes(t)))).toEqual(TEMPLATE);
    const pairs = await evidence.locator('.pro-pairs tbody tr').allInnerTexts();
    expect(pairs).toHaveLength(3);
    expect(pairs.every((r) => r.trim().endsWith('87.5%'))).toBe(true);
    // Nothing on the page acts: no form but the period's, no action button.
    expect(await page.locator('main form').count()).toBe(1);
  });

  it("is not in a supervisor's menu", async () => {
    const page = await signIn('supervisor', 'sup-1');
    expect(await page.locator('nav a', { hasText: '职业投诉人' }).count()).toBe(0);
  });
});

describe('the reports page, attribution', () => {
  it("shows an operations manager the carrier error rate, and the complaint and return rates over the order service's orders", async () => {
    const page = await signIn('ops_manager', 'ops-1');
    await page.goto(`${world.base}/console/#/reports?from=2026-06-01&to=2026-06-30`);
    // The page may first show the default period (the last 7 days): wait for June's.
    await page.locator('#report-carriers tbody tr', { hasText: 'sf' }).waitFor();
    const carriers = await page.locator('#report-carriers tbody tr').allInnerTexts();
    // sf: 2 cases, 1 logistics, 1 its fault = 50 %; yto: 1 case, logistics, not its fault = 0 %.
    expect(carriers[0]).toMatch(/sf\s+2\s+1\s+1\s+50\.0%/);
    expect(carriers[1]).toMatch(/yto\s+1\s+1\s+0\s+0\.0%/);
    // 4 cases over 200 orders, 10 returns over 200; c-j3 complained twice of 3 customers.
    expect(await page.locator('#kpi-complaint-rate').innerText()).toContain('2.0%');
    expect(await page.locator('#kpi-return-rate').innerText()).toContain('5.0%');
    expect(await page.locator('#kpi-repeat-customers').innerText()).toContain('33.3% (1/3)');
  });

  it('shows the orders complained about more than once (docs/domain.md §11.4), counted from the cases written', async () => {
    const perOrder = new Map<string, number>();
    for (const v of juneCases) perOrder.set(v.order.orderId, (perOrder.get(v.order.orderId) ?? 0) + 1);
    const repeated = [...perOrder].filter(([, count]) => count >= 2);
    // c-j3's two cases on o-j3, every other case on an order of its own: 1 of 3 orders.
    expect([repeated, perOrder.size]).toEqual([[['o-j3', 2]], 3]);
    const page = await signIn('ops_manager', 'ops-1');
    await page.goto(`${world.base}/console/#/reports?from=2026-06-01&to=2026-06-30`);
    await page.locator('#report-carriers tbody tr', { hasText: 'sf' }).waitFor();
    const rate = ((repeated.length / perOrder.size) * 100).toFixed(1);
    expect(await page.locator('#kpi-repeat-orders').innerText()).toContain(
      `${rate}% (${repeated.length}/${perOrder.size})`,
    );
    const repeaters = await page.locator('#report-repeaters tbody tr').allInnerTexts();
    for (const [orderId, count] of repeated)
      expect(repeaters).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`^订单 ${orderId}\\s+${count}$`))]),
      );
  });

  it('shows the trend against the previous period of the same length, and the satisfied customers', async () => {
    const page = await signIn('ops_manager', 'ops-1');
    await page.goto(`${world.base}/console/#/reports?from=2026-06-01&to=2026-06-30`);
    // The page may first show the default period: June's own parcels tell June's figures are up.
    await page.locator('#report-carriers tbody tr', { hasText: 'sf' }).waitFor();
    // docs/domain.md §11.4: 4 cases in June against 2 in the 30 days before, (4 − 2) / 2.
    expect(await page.locator('#kpi-trend .kpi-value').innerText()).toBe('+100.0%');
    expect(await page.locator('#kpi-trend .kpi-label').innerText()).toContain('上期 2 件');
    const trend = await page.locator('#report-trend tbody tr').allInnerTexts();
    // Per category: 2 product cases in each period, 2 logistics cases against none (no change to tell).
    expect(trend).toEqual(expect.arrayContaining([expect.stringMatching(/物流\s+2\s+0\s+—/)]));
    expect(trend).toEqual(expect.arrayContaining([expect.stringMatching(/商品\s+2\s+2\s+0\.0%/)]));
    // The customer's latest rating counts, at least 4 (the default policy): c-j1's 5, not c-j2's 3
    // nor c-j3's 2 after its 5.
    expect(await page.locator('#kpi-satisfied .kpi-value').innerText()).toBe('1');
    expect(await page.locator('#kpi-satisfied .kpi-label').innerText()).toContain('评分 ≥ 4');
  });
});
