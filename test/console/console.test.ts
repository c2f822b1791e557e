import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Claims } from '../../api/auth';
import { complaintWorkflowId } from '../../shared/identity';
import { callers, openBody, party, putOrder, startApi, startWorker, type ApiHarness } from '../api/support';
import { eventually } from '../support/poll';
import { type ConsoleWorld, serveConsole, signIn as signInTo, type Viewport } from './browser';
import { shot } from './screenshots';

/**
 * The console (docs/console.md) in real headless Chromium against the real API, worker and sandbox: an
 * agent takes a case, answers, briefs and proposes a 600 CNY refund; a supervisor approves it;
 * the customer accepts and rates through the API; the agent sees the case closed; ops sees it in
 * the charts. Each step asserts what the page shows, and the pages are photographed for the README
 * (only with UPDATE_SCREENSHOTS=1; see ./screenshots.ts).
 */

let h: ApiHarness;
let worker: { stop(): Promise<void> };
let world: ConsoleWorld;
const signIn = (role: string, sub: string, viewport?: Viewport) => signInTo(world, role, sub, { viewport });

const p = party();
const as = callers(p.customerId, p.merchantId);
const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
/** Cases beside ours, so the queue and the charts look like a desk and the sort order is tested. */
const others = [party(), party(), party()];

const call = (claims: Claims, method: string, route: string, body?: object) => world.call(claims, method, route, body);

const statusOf = async () => (await call(as.agent, 'GET', `/v1/complaints/${id}`)).body.status;

/** The projection and the reports trail the workflow by a moment: read the page again until it shows. */
async function reloadUntil(page: Page, selector: string, text: string | RegExp, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await page.locator(selector).filter({ hasText: text }).count();
    if (found > 0) return;
    if (Date.now() > until)
      throw new Error(
        `${selector} never showed ${String(text)}; the page says: ${(await page.locator('main').innerText()).slice(0, 2000)}`,
      );
    await page.waitForTimeout(500);
    await page.reload();
    await page.locator('main h1').waitFor();
  }
}

beforeAll(async () => {
  // Service open round the clock: whenever the suite runs, a new case's first response is due in
  // 15 minutes, so its countdown shows seconds and visibly ticks (off hours it would read "12 h 56 min").
  const policyFile = path.join(mkdtempSync(path.join(tmpdir(), 'console-policy-')), 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ calendar: { serviceHours: { start: '00:00', end: '23:59' } } }));
  h = await startApi({ env: { COMPLAINT_POLICY_FILE: policyFile } });
  putOrder(h.sandbox, p, 89_900, 'alipay');
  others.forEach((o, i) => putOrder(h.sandbox, o, 5_000 * (i + 1)));
  worker = await startWorker(h);
  world = await serveConsole(h);

  const opened = await call(
    as.customer,
    'POST',
    '/v1/complaints',
    openBody(p, { description: '电水壶用了两天就漏水' }),
  );
  expect(opened.status).toBe(201);
  const subTypes = ['delayed', 'rude_agent', 'expired'];
  for (const [i, o] of others.entries()) {
    const res = await call(
      callers(o.customerId, o.merchantId).customer,
      'POST',
      '/v1/complaints',
      openBody(o, { subType: subTypes[i], description: '包裹迟迟未到' }),
    );
    expect(res.status).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await world?.close();
  await worker?.stop();
  await h?.close();
});

describe('the console, one refund from queue to charts', () => {
  let agent: Page;

  it('shows the agent the unassigned case with its deadline, a live countdown and the rung a miss alerts', async () => {
    agent = await signIn('agent', 'agent-7');
    expect(await agent.locator('main h1').innerText()).toBe('我的队列');
    await reloadUntil(agent, '#unassigned tr', id);
    const row = agent.locator('#unassigned tr').filter({ hasText: id });
    await expect(row.locator('td').nth(3).innerText()).resolves.toBe('首次响应');
    const first = await row.locator('.countdown').innerText();
    expect(first).toMatch(/^(剩|已超时) /);
    // A first response due in service hours climbs to the supervisor first.
    await expect(row.locator('td').nth(5).innerText()).resolves.toBe('主管');
    // Live: the countdown moves without a reload (within a few seconds on a busy machine).
    const later = await eventually(
      () => row.locator('.countdown').innerText(),
      (text) => text !== first,
      'the countdown moving',
      5_000,
    );
    expect(later).not.toBe(first);
    // Nearest deadline first.
    const countdowns = await agent.locator('#unassigned .countdown[data-due]').all();
    const dues = await Promise.all(countdowns.map(async (c) => Date.parse((await c.getAttribute('data-due')) ?? '')));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    await shot(agent, 'agent-queue.png');
  });

  it('lets the agent take the case by keyboard and opens its page', async () => {
    await agent.getByRole('button', { name: `接单 ${id}` }).focus();
    await agent.keyboard.press('Enter');
    await agent.locator('main h1').filter({ hasText: id }).waitFor();
    await expect(agent.locator('.case-head').innerText()).resolves.toContain('负责人: agent-7');
    await expect(agent.locator('.case-head .badge.status-in_progress').innerText()).resolves.toBe('处理中');
    // How the customer paid decides when a refund arrives (docs/domain.md §7): shown beside the amount.
    await expect(agent.locator('main').innerText()).resolves.toMatch(/实付\n[^\n]*899\.00 · 支付宝/);
  });

  it('answers the customer, and the timeline shows it', async () => {
    const form = agent.locator('form[data-action="first-response"]');
    await form.getByLabel('回复内容').fill('您好，我们正在与商家核实水壶的问题。');
    await form.getByRole('button', { name: '提交' }).click();
    await agent.locator('#timeline li').filter({ hasText: 'first response' }).waitFor();
    await expect(agent.locator('main').innerText()).resolves.toContain(
      '首次回复\n您好，我们正在与商家核实水壶的问题。',
    );
    // Times read in Asia/Shanghai, whatever the browser's zone (this one is in London).
    const answeredAt = String(
      ((await call(as.agent, 'GET', `/v1/complaints/${id}`)).body.firstResponse as { at: string }).at,
    );
    const shanghai = new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(new Date(answeredAt));
    await expect(agent.locator('main').innerText()).resolves.toContain(`(agent-7, ${shanghai})`);
  });

  it('takes the investigation brief', async () => {
    const form = agent.locator('form[data-action="investigation/brief"]');
    await form.getByLabel('责任方').selectOption('merchant');
    await form.getByLabel('调查发现').fill('商家确认该批次密封圈有缺陷。');
    await form.getByRole('button', { name: '提交' }).click();
    await agent.locator('form[data-action="resolution"]').waitFor();
    await expect(agent.locator('main').innerText()).resolves.toContain('商家: 商家确认该批次密封圈有缺陷。');
  });

  it('shows the API refusing a refund above what was paid next to the amount', async () => {
    const form = agent.locator('form[data-action="resolution"]');
    await form.getByLabel('方案类型').selectOption('refund');
    await form.getByLabel('金额（元）').fill('1000');
    await form.getByLabel('说明').fill('全额退款');
    await form.getByRole('button', { name: '提交' }).click();
    const error = form.locator('[data-field="amountFen"] .field-error');
    await error.filter({ hasText: /\d/ }).waitFor();
    expect(await error.innerText()).toContain('89900');
    await expect(form.locator('.form-error').innerText()).resolves.toContain('422 amount_exceeds_paid');
  });

  it('proposes a 600 CNY refund, which waits for a supervisor', async () => {
    const form = agent.locator('form[data-action="resolution"]');
    await form.getByLabel('金额（元）').fill('600');
    await form.getByLabel('说明').fill('退款 600 元，请以核实结果为准');
    await form.getByRole('button', { name: '提交' }).click();
    await agent.locator('.case-head .badge.status-awaiting_approval').waitFor();
    const page = await agent.locator('main').innerText();
    expect(page).toContain('退款 ¥600.00');
    expect(page).toContain('需要主管审批');
    await expect(agent.locator('#deadlines').innerText()).resolves.toContain('审批');
  });

  it("puts the proposal in the supervisor's approvals with amount, reason and time left; approved there", async () => {
    const supervisor = await signIn('supervisor', 'sup-1');
    expect(await supervisor.locator('main h1').innerText()).toBe('待审批方案');
    await reloadUntil(supervisor, '#approvals tr', id);
    const row = supervisor.locator('#approvals tr').filter({ hasText: id });
    const text = await row.innerText();
    expect(text).toContain('退款 ¥600.00');
    expect(text).toContain('金额 ¥600.00 超过审批线 ¥500.00');
    expect(await row.locator('.countdown').innerText()).toMatch(/^剩 /);
    await shot(supervisor, 'approvals.png');

    // The payment gateway is down when the refund goes out: the agent will see the retries.
    expect(
      (
        await fetch(`${h.sandbox.url}/_faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ service: 'payments', mode: 'error', rate: 1 }),
        })
      ).status,
    ).toBeLessThan(300);
    await row.getByLabel('原因').fill('金额合理，同意退款');
    await row.getByRole('button', { name: '批准' }).click();
    await row.getByRole('status').filter({ hasText: '已批准，案件执行中' }).waitFor();
    expect(await statusOf()).not.toBe('awaiting_approval');
    await supervisor.context().close();
  });

  it('shows the agent the refund step waiting and the payment call being retried, until the gateway is back', async () => {
    await reloadUntil(agent, '.retrying tr', 'payRefund');
    const retry = await agent.locator('.retrying tr').filter({ hasText: 'payRefund' }).innerText();
    expect(retry).toContain('503');
    await expect(agent.locator('#steps').innerText()).resolves.toMatch(/退款\s+待执行\s+payments/);
    await expect(agent.locator('.case-head .badge.status-executing').innerText()).resolves.toBe('执行中');
    await shot(agent, 'case-page.png', true);
    expect((await fetch(`${h.sandbox.url}/_faults`, { method: 'DELETE' })).status).toBeLessThan(300);
  });

  it('closes once the customer accepts and rates through the API, and the agent sees it closed', async () => {
    expect(await eventually(statusOf, (s) => s === 'awaiting_customer', 'awaiting_customer', 60_000)).toBe(
      'awaiting_customer',
    );
    expect((await call(as.customer, 'POST', `/v1/complaints/${id}/customer-response`, { accept: true })).status).toBe(
      200,
    );
    expect(await eventually(statusOf, (s) => s === 'awaiting_feedback', 'awaiting_feedback', 30_000)).toBe(
      'awaiting_feedback',
    );
    expect(
      (await call(as.customer, 'POST', `/v1/complaints/${id}/satisfaction`, { rating: 5, comment: '处理得很快' }))
        .status,
    ).toBe(200);
    expect(await eventually(statusOf, (s) => s === 'closed', 'closed', 30_000)).toBe('closed');

    await agent.reload();
    await agent.locator('.case-head .badge.status-closed').waitFor();
    const page = await agent.locator('main').innerText();
    expect(page).toContain('已结案：已解决');
    expect(page).toContain('5/5');
    await expect(agent.locator('#steps').innerText()).resolves.toMatch(/退款[\s\S]*已完成/);
    await expect(agent.locator('main').innerText()).resolves.toContain('当前阶段没有你可执行的操作');
    await agent.context().close();
  });

  it("shows ops the case in the period's charts, linked to its workflow in the Temporal Web UI", async () => {
    const ops = await signIn('ops_manager', 'ops-1');
    expect(await ops.locator('main h1').innerText()).toBe('运营报表');
    await reloadUntil(ops, '#chart-satisfaction', '5★');
    // The default period is the last 7 days; a chosen one goes into the address.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await ops.getByLabel('开始日期').fill(today);
    await ops.getByRole('button', { name: '查询' }).click();
    await ops.waitForURL(`**/console/#/reports?from=${today}&to=${today}`);
    await reloadUntil(ops, '.muted', `${today} — ${today}`);
    expect(await ops.locator('#kpi-total .kpi-value').innerText()).toBe(String(1 + others.length));
    await expect(ops.locator('#chart-satisfaction svg').getAttribute('aria-label')).resolves.toContain('5★ 1');
    await expect(ops.locator('#chart-merchants svg').getAttribute('aria-label')).resolves.toContain(
      `${p.merchantId} 1`,
    );
    await expect(ops.locator('#chart-products svg').getAttribute('aria-label')).resolves.toContain(p.sku);
    await expect(ops.locator('#chart-first-response svg').getAttribute('aria-label')).resolves.toMatch(/< 5 min 1/);
    await expect(ops.locator('#chart-volume svg').getAttribute('aria-label')).resolves.toContain(
      `${today.slice(5)} ${1 + others.length}`,
    );
    const link = ops.locator('#period-cases tr').filter({ hasText: id }).locator('a.temporal-link');
    expect(await link.getAttribute('href')).toBe(
      `http://127.0.0.1:${h.config.TEMPORAL_UI_PORT}/namespaces/${h.config.TEMPORAL_NAMESPACE}/workflows/${id}`,
    );
    await shot(ops, 'ops-reports.png', true);

    // The English switch, by keyboard.
    await ops.locator('#lang-switch').focus();
    await ops.keyboard.press('Enter');
    await ops.locator('main h1').filter({ hasText: 'Operations report' }).waitFor();
    await ops.context().close();
  });

  it('fits a 390-pixel phone without sideways scrolling', async () => {
    const phone = await signIn('agent', 'agent-9', { width: 390, height: 844 });
    await reloadUntil(phone, '#unassigned tr', others[0].customerId);
    // A string, not a function: this suite is compiled without the DOM's types.
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(phone, 'agent-queue-phone.png');
    await phone.context().close();
  });
});
