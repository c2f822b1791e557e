import { createSupplierWatchActivities } from '../../activities/supplierWatch';
import { silent, startApi, type ApiHarness } from '../api/support';
import { type ConsoleWorld, serveConsole, signIn as signInTo } from './browser';

/**
 * The console's 供应商 page (docs/console.md, docs/domain.md §11.6) in headless Chromium against the
 * real API: the supplier watch's round flags the merchants whose returns over 30 days are more than
 * 15 % of their orders (m-a: 6 of 24, 25 %; m-b: 4 of 20, 20 %; m-c: 3 of 20, 15 %, not above); a
 * supervisor sees the figures and suspends one with a reason; an operations manager sees the
 * decision and keeps the other.
 */

let h: ApiHarness;
let world: ConsoleWorld;
const signIn = (role: string, sub: string) => signInTo(world, role, sub);
const DAY = 86_400_000;
const AT = new Date('2026-11-30T01:00:00.000Z');
const RETURN_RATE_ABOVE = 0.15;
/** docs/domain.md §11.6: the return rate over the last 30 days. */
const WINDOW_DAYS = 30;
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const FIGURES = {
  'm-a': { orders: 24, returns: 6 },
  'm-b': { orders: 20, returns: 4 },
  'm-c': { orders: 20, returns: 3 },
};

beforeAll(async () => {
  h = await startApi();
  for (const [merchantId, { orders, returns }] of Object.entries(FIGURES)) {
    for (let i = 0; i < orders; i++) {
      h.sandbox.store.putOrder({
        orderId: `o-${merchantId}-${i}`,
        customerId: `c-${merchantId}-${i}`,
        merchantId,
        amountPaidFen: 5_000,
        items: [],
        paidAt: new Date(AT.getTime() - 10 * DAY).toISOString(),
        ...(i < returns ? { returnedAt: new Date(AT.getTime() - 2 * DAY).toISOString() } : {}),
      });
    }
  }
  await createSupplierWatchActivities({
    connection: h.db.connection,
    orders: { baseUrl: h.sandbox.url, apiKey: h.config.PROVIDER_API_KEY, logger: silent },
  }).flagReturnRates({ at: AT.toISOString() });
  world = await serveConsole(h);
}, 120_000);

afterAll(async () => {
  await world?.close();
  await h?.close();
});

const flagged = Object.entries(FIGURES)
  .filter(([, f]) => f.returns / f.orders > RETURN_RATE_ABOVE)
  .map(([m]) => m)
  .sort();

describe('the 供应商 page', () => {
  it('a supervisor sees each flagged merchant with its figures and suspends one with a reason', async () => {
    expect(flagged).toEqual(['m-a', 'm-b']);
    const page = await signIn('supervisor', 'sup-1');
    await page.locator('nav a', { hasText: '供应商' }).click();
    await page.locator('main h1').filter({ hasText: '供应商' }).waitFor();
    await page
      .locator('#supplier-flags tbody tr')
      .nth(flagged.length - 1)
      .waitFor();
    const rows = await page.locator('#supplier-flags tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split(/\s/)[0]).sort()).toEqual(flagged);
    for (const m of flagged) {
      const { orders, returns } = FIGURES[m as keyof typeof FIGURES];
      const row = rows.find((r) => r.startsWith(m))!;
      expect(row).toMatch(
        new RegExp(
          `^${m}\\s+${returns}\\s+${orders}\\s+${pct(returns / orders).replace('.', '\\.')}\\s+${pct(RETURN_RATE_ABOVE).replace('.', '\\.')}`,
        ),
      );
      expect(row).toContain('待审核');
      // The flag's own window, its length named from the flag rather than written into the page.
      expect(row).toContain(`（${WINDOW_DAYS} 天）`);
    }
    const form = page.locator('#supplier-flags tbody tr').filter({ hasText: 'm-a' }).locator('form.flag-decision');
    await form.getByLabel('暂停').check();
    await form.getByLabel('理由').fill('退货率连续偏高');
    await form.getByRole('button', { name: '保存结论' }).click();
    await page
      .locator('#supplier-flags tbody tr')
      .filter({ hasText: 'm-a' })
      .filter({ hasText: '暂停 · 退货率连续偏高 · sup-1' })
      .waitFor();
    expect(await page.locator('#supplier-flags tbody tr').filter({ hasText: 'm-a' }).locator('form').count()).toBe(0);
  });

  it('an operations manager sees the decision, keeps the other, and filters the open ones', async () => {
    const page = await signIn('ops_manager', 'ops-1');
    await page.goto(`${world.base}/console/#/suppliers`);
    await page
      .locator('#supplier-flags tbody tr')
      .filter({ hasText: 'm-a' })
      .filter({ hasText: '暂停 · 退货率连续偏高 · sup-1' })
      .waitFor();
    const b = page.locator('#supplier-flags tbody tr').filter({ hasText: 'm-b' });
    await b.locator('form.flag-decision').getByLabel('保留').check();
    await b.locator('form.flag-decision').getByLabel('理由').fill('A recalled batch');
    await b.getByRole('button', { name: '保存结论' }).click();
    await page
      .locator('#supplier-flags tbody tr')
      .filter({ hasText: 'm-b' })
      .filter({ hasText: '保留 · A recalled batch · ops-1' })
      .waitFor();
    await page.getByLabel('状态').selectOption('open');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('main p.empty', { hasText: '没有被标记的商户' }).waitFor();
    expect(await page.locator('#supplier-flags').count()).toBe(0);
  });
});
