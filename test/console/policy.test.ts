import type { Page } from 'playwright-core';
import type { Claims } from '../../api/auth';
import { complaintWorkflowId } from '../../shared/identity';
import { callers, openBody, party, putOrder, startApi, startWorker, type ApiHarness } from '../api/support';
import { eventually } from '../support/poll';
import { type ConsoleWorld, serveConsole, signIn as signInTo, type Viewport } from './browser';
import { shot } from './screenshots';

/**
 * The console's policy page (docs/console.md) in headless Chromium against the real API and worker: the
 * ops manager sees 2027's festival days computed, loads an official 2027 schedule (a typed
 * non-date, then the API's refusal of a day both off and worked shown beside the field first), sees the draft's diff and its
 * 2027 calendar with the official days, runs the what-if over the cases of the last month, and
 * publishes with a reason; a stricter draft's what-if lists the cases it would breach; an agent reads
 * the same page without the controls.
 */

/**
 * A 2027 schedule written by hand for the test (the State Council's notice for 2027 is not out):
 * New Year, a Spring Festival week from its eve (Chinese New Year is Saturday 6 February 2027), and
 * Saturday 20 February worked in exchange.
 */
const HOLIDAYS_TYPED = '2027-01-01 2027-01-02 2027-01-03\n2027-02-05~2027-02-11';
const HOLIDAYS = [
  '2027-01-01',
  '2027-01-02',
  '2027-01-03',
  '2027-02-05',
  '2027-02-06',
  '2027-02-07',
  '2027-02-08',
  '2027-02-09',
  '2027-02-10',
  '2027-02-11',
];
const MAKE_UP_SATURDAY = '2027-02-20';

let h: ApiHarness;
let worker: { stop(): Promise<void> };
let world: ConsoleWorld;
const signIn = (role: string, sub: string, viewport?: Viewport) => signInTo(world, role, sub, { viewport });
const cases = [party(), party()];

const call = (claims: Claims, method: string, route: string, body?: object) => world.call(claims, method, route, body);

const ops = callers('-', '-').ops_manager;

/** The classes of a day's cell in the year calendar. */
const dayClass = async (page: Page, date: string) =>
  (await page.locator(`#year-calendar td[data-date="${date}"]`).getAttribute('class')) ?? '';

beforeAll(async () => {
  h = await startApi();
  worker = await startWorker(h);
  world = await serveConsole(h);
  // Cases of the what-if's period: the projection has them once their workflows wrote them.
  for (const p of cases) {
    putOrder(h.sandbox, p);
    expect(
      (await call(callers(p.customerId, p.merchantId).customer, 'POST', '/v1/complaints', openBody(p))).status,
    ).toBe(201);
  }
  const listed = await eventually(
    async () => (await call(ops, 'GET', '/v1/complaints?limit=100')).body.items as unknown[],
    (items) => items.length >= cases.length,
    'every case listed',
    60_000,
  );
  expect(listed).toHaveLength(cases.length);
}, 120_000);

afterAll(async () => {
  await world?.close();
  await worker?.stop();
  await h?.close();
});

describe('the policy page', () => {
  let page: Page;

  it('shows the ops manager version 1 in force and 2027 with its festival days computed, no make-up days', async () => {
    page = await signIn('ops_manager', 'ops-1');
    await page.locator('nav a', { hasText: '政策与节假日' }).click();
    await page.locator('main h1').filter({ hasText: '政策与节假日' }).waitFor();
    await expect(page.locator('#active-policy').innerText()).resolves.toContain('当前生效：版本 1');
    await expect(page.locator('#version-1 summary').innerText()).resolves.toMatch(/版本 1\s*已发布\s*生效中/);

    await page.locator('#view-year').fill('2027');
    await page.getByRole('button', { name: '显示' }).click();
    await page.locator('#year-calendar[data-year="2027"]').waitFor();
    await expect(page.locator('#calendar-status').innerText()).resolves.toContain('2027 年尚未载入官方安排');
    expect(await dayClass(page, '2027-01-01')).toContain('holiday computed');
    expect(await dayClass(page, MAKE_UP_SATURDAY)).toBe('day weekend');
    await expect(page.locator('#calendar-runs').innerText()).resolves.toContain('元旦: 2027-01-01（1 天，推算）');
  });

  it('says a typed non-date beside its field before sending anything', async () => {
    const form = page.locator('form[data-action="load-schedule"]');
    await form.getByLabel('年份').fill('2027');
    await form.getByLabel('放假日期').fill(HOLIDAYS_TYPED);
    await form.getByLabel('调休上班日期').fill('2027-02-30');
    await form.getByRole('button', { name: '生成草稿' }).click();
    await form
      .locator('[data-field="makeUpWorkdays"] .field-error')
      .filter({ hasText: '无法识别的日期：2027-02-30' })
      .waitFor();
    expect((await call(ops, 'GET', '/v1/policy/versions')).body.items as unknown[]).toHaveLength(1);
  });

  it('fills the form from pasted JSON; the API refusing a day both off and worked is shown beside the make-up days, the field named', async () => {
    const form = page.locator('form[data-action="load-schedule"]');
    await form.locator('.paste-json summary').click();
    const pasted = {
      year: 2027,
      source: '<b>测试</b> 2027 年安排（手写）',
      holidays: HOLIDAYS,
      makeUpWorkdays: [MAKE_UP_SATURDAY, '2027-02-06'],
    };
    await form.getByLabel(/shared\/calendar-data/).fill(JSON.stringify(pasted));
    await form.getByRole('button', { name: '填入表单' }).click();
    await expect(form.getByLabel('来源（通知名称）').inputValue()).resolves.toBe(pasted.source);
    await expect(form.getByLabel('调休上班日期').inputValue()).resolves.toBe(`${MAKE_UP_SATURDAY}\n2027-02-06`);
    await form.getByRole('button', { name: '生成草稿' }).click();
    const error = form.locator('[data-field="makeUpWorkdays"] .field-error');
    await error.filter({ hasText: '2027-02-06' }).waitFor();
    expect(await error.innerText()).toContain('is both a holiday and a make-up workday');
    const refusal = await form.locator('#schedule-refusal').innerText();
    expect(refusal).toContain('草稿被拒绝（400');
    expect(refusal).toMatch(/调休上班日 第 \d+ 项 policy\.calendar\.makeUpWorkdays\.\d+/);
    // Nothing was stored.
    expect((await call(ops, 'GET', '/v1/policy/versions')).body.items as unknown[]).toHaveLength(1);
  });

  it('creates the draft: its diff against version 1 and its 2027 calendar with the official days', async () => {
    // Typed this time: a run of days written as one.
    const form = page.locator('form[data-action="load-schedule"]');
    await form.getByLabel('放假日期').fill(HOLIDAYS_TYPED);
    await form.getByLabel('调休上班日期').fill(MAKE_UP_SATURDAY);
    await form.getByRole('button', { name: '生成草稿' }).click();
    await page.locator('#version-2[data-status="draft"]').waitFor();
    await expect(page.locator('main [role="status"]').first().innerText()).resolves.toContain(
      '已生成草稿：版本 2（2027 年官方安排）',
    );
    await expect(page.locator('#version-2 summary').innerText()).resolves.toMatch(/版本 2\s*草稿/);
    // The source as text, never as markup.
    await expect(page.locator('#version-2 summary').innerText()).resolves.toContain('<b>测试</b>');
    expect(await page.locator('#version-2 b').count()).toBe(0);

    const diff = page.locator('#diff-2');
    await expect(diff.locator('tr[data-path="calendar.holidays"]').innerText()).resolves.toContain(
      `+ ${HOLIDAYS.join('、')}`,
    );
    await expect(diff.locator('tr[data-path="calendar.makeUpWorkdays"]').innerText()).resolves.toContain(
      `+ ${MAKE_UP_SATURDAY}`,
    );
    await expect(diff.locator('tr[data-path="calendar.coveredYears"]').innerText()).resolves.toMatch(
      /已载入官方安排的年份[\s\S]*\[2026\][\s\S]*\[2026,2027\]/,
    );
    expect(await diff.locator('tbody tr').count()).toBe(3);

    await page.locator('#year-calendar[data-year="2027"][data-official="true"]').waitFor();
    await expect(page.locator('#calendar-status').innerText()).resolves.toContain('2027 年的官方安排已载入');
    expect(await dayClass(page, '2027-02-05')).toBe('day holiday official');
    expect(await dayClass(page, '2027-02-11')).toBe('day holiday official');
    expect(await dayClass(page, MAKE_UP_SATURDAY)).toBe('day make_up_workday official');
    expect(await page.locator(`#year-calendar td[data-date="${MAKE_UP_SATURDAY}"]`).getAttribute('aria-label')).toBe(
      `${MAKE_UP_SATURDAY} 星期六 · 调休上班（官方）`,
    );
    // Official days only: the computed ones gave way (Qingming was computed, not in this schedule).
    expect(await page.locator('#year-calendar td.computed').count()).toBe(0);
    expect(await dayClass(page, '2027-04-05')).toBe('day');
    await expect(page.locator('#year-calendar .legend').innerText()).resolves.toContain('放假（推算）');
  });

  it('runs the what-if of the draft over the last month: the cases, breaches now and under the draft, the distributions', async () => {
    const section = page.locator('section', { has: page.locator('form[data-action="what-if"]') });
    await expect(section.locator('h2').innerText()).resolves.toContain('试算 — 版本 2');
    await section.getByRole('button', { name: '试算' }).click();
    await page
      .locator('#whatif-cases .kpi-value')
      .filter({ hasText: String(cases.length) })
      .waitFor();
    const report = await call(ops, 'POST', '/v1/policy/versions/2/what-if');
    const totals = report.body.totals as { breachedRecorded: number; breachedUnderDraft: number };
    await expect(page.locator('#whatif-breaches-now .kpi-value').innerText()).resolves.toBe(
      String(totals.breachedRecorded),
    );
    await expect(page.locator('#whatif-breaches-draft .kpi-value').innerText()).resolves.toBe(
      String(totals.breachedUnderDraft),
    );
    // A calendar of 2027 changes no deadline of cases opened now.
    await expect(page.locator('#whatif-changed-count .kpi-value').innerText()).resolves.toBe('0');
    await expect(page.locator('#whatif-result').innerText()).resolves.toContain('没有案件的结果改变');
    await expect(page.locator('#chart-whatif-breaches svg').getAttribute('aria-label')).resolves.toMatch(
      /首次响应 · 现行 \d+ \/ \d+, 首次响应 · 草稿 \d+ \/ \d+/,
    );
    await page.locator('#chart-whatif-firstResponse figcaption').filter({ hasText: '首次响应用时' }).waitFor();
    await page.locator('#chart-whatif-handling figcaption').filter({ hasText: '接单用时' }).waitFor();
    // The period went into the address.
    expect(page.url()).toMatch(/#\/policy\?v=2&year=2027&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    await shot(page, 'policy.png', true);
  });

  it('publishes only with a reason, and the list shows version 2 published and in force', async () => {
    const form = page.locator('form[data-action="publish-2"]');
    await form.getByRole('button', { name: '发布' }).click();
    await form.locator('.field-error').filter({ hasText: '请填写发布原因' }).waitFor();
    expect((await call(ops, 'GET', '/v1/policy')).body.version).toBe('1');

    await form.getByLabel('发布原因').fill('国务院公布 2027 年节假日安排');
    await form.getByRole('button', { name: '发布' }).click();
    await page.locator('#version-2[data-status="published"]').waitFor();
    await expect(page.locator('main [role="status"]').first().innerText()).resolves.toContain('版本 2 已发布');
    await expect(page.locator('#version-2 summary').innerText()).resolves.toMatch(/版本 2\s*已发布\s*生效中/);
    await expect(page.locator('#version-2 dl').innerText()).resolves.toContain('国务院公布 2027 年节假日安排');
    await expect(page.locator('#version-2 dl').innerText()).resolves.toContain('ops-1（运营经理）');
    await expect(page.locator('#active-policy').innerText()).resolves.toContain('当前生效：版本 2');
    expect(await page.locator('form[data-action="publish-2"]').count()).toBe(0);

    const active = await call(ops, 'GET', '/v1/policy');
    expect(active.body.version).toBe('2');
    const calendar = active.body.calendar as { holidays: string[]; makeUpWorkdays: string[]; coveredYears: number[] };
    expect(calendar.holidays).toEqual(expect.arrayContaining(HOLIDAYS));
    expect(calendar.makeUpWorkdays).toContain(MAKE_UP_SATURDAY);
    expect(calendar.coveredYears).toEqual([2026, 2027]);
  });

  it('lists the cases whose outcome a stricter draft changes, with both due times', async () => {
    // First response within a second, service round the clock: the cases nobody answered become breaches.
    const active = (await call(ops, 'GET', '/v1/policy')).body as { calendar: object };
    const strict = {
      ...active,
      firstResponse: 'PT1S',
      calendar: { ...active.calendar, serviceHours: { start: '00:00', end: '23:59' } },
    };
    const created = await call(ops, 'POST', '/v1/policy/versions', { policy: strict, reason: '试算：首次响应 1 秒' });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    await page.goto(`${world.base}/console/#/policy?v=${id}&year=2027`);
    await page.locator(`#version-${id}[data-status="draft"]`).waitFor();
    await expect(page.locator(`#diff-${id} tr[data-path="firstResponse"]`).innerText()).resolves.toMatch(
      /首次响应时限[\s\S]*PT15M[\s\S]*PT1S/,
    );
    await page.getByRole('button', { name: '试算' }).click();
    await page
      .locator('#whatif-changed-count .kpi-value')
      .filter({ hasText: String(cases.length) })
      .waitFor();
    for (const p of cases) {
      const row = page
        .locator('#whatif-changed tr')
        .filter({ hasText: complaintWorkflowId(p.customerId, p.orderId, 'quality_defect') });
      await expect(row.innerText()).resolves.toMatch(/首次响应\s+进行中[\s\S]*超时/);
    }
    await expect(page.locator('#chart-whatif-changes svg').getAttribute('aria-label')).resolves.toContain(
      `首次响应 · 转为超时 ${cases.length}`,
    );
    await page.context().close();
  });

  it('lets an agent read the versions and the calendar, with no control to change them', async () => {
    const agent = await signIn('agent', 'agent-7');
    await agent.locator('nav a', { hasText: '政策与节假日' }).click();
    await agent.locator('main h1').filter({ hasText: '政策与节假日' }).waitFor();
    await expect(agent.locator('main').innerText()).resolves.toContain('只读：仅运营经理可以');
    await expect(agent.locator('#version-2 summary').innerText()).resolves.toMatch(/版本 2\s*已发布\s*生效中/);
    await expect(agent.locator('#diff-2 tr[data-path="calendar.makeUpWorkdays"]').innerText()).resolves.toContain(
      MAKE_UP_SATURDAY,
    );
    await agent.goto(`${world.base}/console/#/policy?v=2&year=2027`);
    await agent.locator('#year-calendar[data-year="2027"][data-official="true"]').waitFor();
    expect(await dayClass(agent, MAKE_UP_SATURDAY)).toBe('day make_up_workday official');
    for (const control of ['form[data-action="load-schedule"]', 'form.publish-form', 'form[data-action="what-if"]']) {
      expect(await agent.locator(control).count()).toBe(0);
    }
    // The English switch: the same page in the other language.
    await agent.locator('#lang-switch').click();
    await agent.locator('main h1').filter({ hasText: 'Policy and holidays' }).waitFor();
    await expect(
      agent.locator(`#year-calendar td[data-date="${MAKE_UP_SATURDAY}"]`).getAttribute('aria-label'),
    ).resolves.toBe(`${MAKE_UP_SATURDAY} Saturday · make-up working day (official)`);
    // The API agrees: reading is allowed, drafting is not.
    expect((await call(callers('-', '-').agent, 'POST', '/v1/policy/versions', { policy: {} })).status).toBe(403);
    await agent.context().close();
  });

  it('fits a 390-pixel phone without sideways scrolling, the diff and the year included', async () => {
    const phone = await signIn('agent', 'agent-9', { width: 390, height: 844 });
    await phone.goto(`${world.base}/console/#/policy?v=2&year=2027`);
    await phone.locator('#year-calendar[data-year="2027"]').waitFor();
    // A string, not a function: this suite is compiled without the DOM's types.
    expect(
      await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    await shot(phone, 'policy-phone.png', true);
    await phone.context().close();
  });
});
