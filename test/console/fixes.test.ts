import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { caseView } from '../../dev/builders';
import type { CaseViewV1 } from '../../shared/caseView';
import { writeCase } from '../../store/cases';
import { signIn as signInTo, useConsole } from './browser';
import { shot } from './screenshots';

/**
 * The console's 整改通知 page (docs/console.md, docs/domain.md §9.6) in headless Chromium against the
 * real API and worker: a supervisor records a root-cause fix against two cases by their ids, one open
 * and one closed, and sees both customers told with the policy's goodwill coupon (10 CNY, valid 7
 * days, by default); an operations manager records one by merchant over a period while texts cannot go
 * out, and sees that customer undelivered and the case's owner alerted; agents and compliance get
 * neither the page nor the form. Cases are written to the projection as the workflow writes them.
 */

const COUPON = '¥10.00';
const VALID_DAYS = 7;

const { api, world } = useConsole({ worker: true });
const signIn = (role: string, sub: string) => signInTo(world, role, sub);
const run = randomUUID().slice(0, 6);
const merchant = `m-fix-${run}`;
const otherMerchant = `m-late-${run}`;
// Opened on 10 November 2026 (Shanghai), inside the period the operations manager picks.
const OPENED = '2026-11-10T02:00:00.000Z';
// Caller text, shown as text: the console never reads it as markup.
const WHAT = '商家已更换该批次水壶的密封圈 <i>并逐一检测</i>';

async function put(n: number, overrides: Partial<CaseViewV1>): Promise<string> {
  const complaintId = `cmp.c-${run}-${n}.o-${run}-${n}.quality_defect`;
  const base = caseView({ complaintId, createdAt: OPENED, updatedAt: OPENED });
  await writeCase(
    api.db.cases,
    {
      ...base,
      ...overrides,
      complaintId,
      workflowId: complaintId,
      customer: { id: `c-${run}-${n}`, name: 'Li Lei', phone: `+861390000000${n}`, memberTier: 'regular' },
      order: { ...base.order, merchantId: overrides.order?.merchantId ?? merchant, amountPaidFen: 12_900 },
    },
    1,
  );
  return complaintId;
}

const ids: Record<'open' | 'closed' | 'late', string> = { open: '', closed: '', late: '' };
beforeAll(async () => {
  ids.open = await put(1, { status: 'in_progress', owner: 'agent-3' });
  ids.closed = await put(2, { status: 'closed', owner: 'agent-3', closedAt: OPENED, closeReason: 'resolved' });
  ids.late = await put(3, {
    status: 'in_progress',
    owner: 'agent-5',
    order: { ...caseView().order, merchantId: otherMerchant },
  });
});

const card = (page: Page, text: string) => page.locator('article.fix').filter({ hasText: text });

/** Presses 刷新 until the fix's card says `text` (its customers are told in the background). */
async function refreshUntil(page: Page, fix: string, text: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (await card(page, fix).filter({ hasText: text }).count()) return;
    if (Date.now() > deadline)
      throw new Error(`the fix's card never said "${text}": ${await card(page, fix).innerText()}`);
    await page.getByRole('button', { name: '刷新' }).click();
    await page.waitForTimeout(1_000);
  }
}

describe('the 整改通知 page', () => {
  it('a supervisor records a fix by case ids; the customers of the open and the closed case are told, each with the coupon', async () => {
    const page = await signIn('supervisor', 'sup-1');
    await page.locator('nav a', { hasText: '整改通知' }).click();
    await page.locator('main h1').filter({ hasText: '整改通知' }).waitFor();
    await page.locator('main p.empty').filter({ hasText: '尚未记录整改' }).waitFor();
    const form = page.locator('#fix-form');
    await form.getByLabel('整改类型').selectOption('product_batch');
    await form.getByLabel('整改内容（中文，发给顾客）').fill(WHAT);
    await form.getByLabel('案件编号（每行一个）').fill(`${ids.open}\n${ids.closed}`);
    await form.getByRole('button', { name: '记录并通知顾客' }).click();

    const fix = card(page, ids.open);
    await fix.waitFor();
    expect(await fix.locator('.what-changed').innerText()).toBe(WHAT);
    expect(await fix.locator('i').count()).toBe(0);
    expect(await fix.innerText()).toContain(`${COUPON}，${VALID_DAYS} 天有效`);
    expect(await fix.innerText()).toContain('sup-1（主管）');
    await refreshUntil(page, ids.open, '已告知 2/2 位顾客');
    for (const [caseId, status] of [
      [ids.open, '处理中'],
      [ids.closed, '已结案'],
    ]) {
      const row = card(page, ids.open).locator('tbody tr').filter({ hasText: caseId });
      const cells = await row.locator('td').allInnerTexts();
      expect(cells.slice(2, 5)).toEqual([status, '已告知', COUPON]);
    }
    expect(await card(page, ids.open).locator('.fix-undelivered').count()).toBe(0);
    await page.context().close();
  }, 180_000);

  it("an operations manager's fix by merchant and period: a text that cannot go out shows undelivered, with the case's owner alerted", async () => {
    const page = await signIn('ops_manager', 'ops-1');
    await page.goto(`${world.base}/console/#/fixes`);
    const form = page.locator('#fix-form');
    await form.getByLabel('整改类型').selectOption('merchant_process');
    await form.getByLabel('整改内容（中文，发给顾客）').fill('商家已改为当天发货');
    await form.getByLabel('按商户、商品或承运商及时间段').check();
    await form.getByLabel('开始日期').fill('2026-11-01');
    await form.getByLabel('结束日期（含）').fill('2026-11-15');
    // Without a merchant, product or carrier the API refuses, and says so beside the merchant.
    await form.getByRole('button', { name: '记录并通知顾客' }).click();
    await page.locator('#fix-selector-merchantId-error').filter({ hasText: /\S/ }).waitFor();

    // Every try of the customer's text fails; the alert to the owner goes out afterwards.
    api.sandbox.faults.arm({ service: 'sms', mode: 'error', rate: 1, count: 5 });
    await form.getByLabel('商户', { exact: true }).fill(otherMerchant);
    await form.getByRole('button', { name: '记录并通知顾客' }).click();
    await card(page, ids.late).waitFor();
    await refreshUntil(page, ids.late, '已完成');
    const fix = card(page, ids.late);
    expect(await fix.innerText()).toContain('已告知 0/1 位顾客');
    expect(await fix.locator('.fix-undelivered').innerText()).toBe('1 位顾客未能送达，已提醒：agent-5');
    const cells = await fix.locator('tbody tr').filter({ hasText: ids.late }).locator('td').allInnerTexts();
    expect(cells.slice(3, 6)).toEqual(['未送达', COUPON, 'agent-5']);
    // The first fix is still listed, below the newer one.
    expect(await page.locator('article.fix').count()).toBe(2);
    await shot(page, 'fixes.png', true);
    await page.context().close();
  }, 180_000);

  it.each([
    ['agent', 'agent-3'],
    ['compliance', 'cmp-1'],
  ])('a %s has no 整改通知 in the menu and no form on the page', async (role, sub) => {
    const page = await signIn(role, sub);
    expect(await page.locator('nav a', { hasText: '整改通知' }).count()).toBe(0);
    await page.goto(`${world.base}/console/#/fixes`);
    await page.locator('main').getByText('整改通知由主管和运营经理记录和查看。').waitFor();
    expect(await page.locator('#fix-form').count()).toBe(0);
    expect(await page.locator('article.fix').count()).toBe(0);
    await page.context().close();
  });
});
