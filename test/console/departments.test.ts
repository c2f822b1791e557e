import { complaintWorkflowId } from '../../shared/identity';
import { callers, openBody, party, putOrder } from '../api/support';
import { eventually } from '../support/poll';
import { SETUP_TIMEOUT_MS, signIn, useConsoleCase } from './browser';
import { shot } from './screenshots';

/**
 * Departments in the console (docs/domain.md §6.5, docs/console.md): a case is routed by its category
 * (product → the product team, logistics → warehouse & logistics, compliance → compliance); the case
 * page shows where, and the department's staff (a token whose department claim names it, or the
 * compliance role for the compliance department) add findings there, while the owner, another
 * department and a supervisor read them without the form; the queue filters by department and the
 * reports page gives each department's share of the period's cases (docs/domain.md §11.1).
 */

// The department ids of docs/policy.md's default `departments`.
const PRODUCT = 'product';
const LOGISTICS = 'warehouse_logistics';

// The product case: opened by its customer and taken by the agent.
const { api, world, as, id, call } = useConsoleCase({ subType: 'quality_defect', description: '水壶漏水' });
// A logistics case nobody took, and a compliance case.
const late = party();
const lateId = complaintWorkflowId(late.customerId, late.orderId, 'delayed');
const fake = party();
const fakeId = complaintWorkflowId(fake.customerId, fake.orderId, 'counterfeit');

const productStaff = { sub: 'pt-1', department: PRODUCT };
const logisticsStaff = { sub: 'wl-1', department: LOGISTICS };
// Caller text, shown as text: the console never reads it as markup.
const FINDING = '同批次密封圈硬度不达标 <b>B-17</b>';
const caseUrl = (caseId: string) => `${world.base}/console/#/case/${encodeURIComponent(caseId)}`;

beforeAll(async () => {
  for (const [p, subType, description] of [
    [late, 'delayed', '快递五天未更新'],
    [fake, 'counterfeit', '收到的是仿冒品'],
  ] as const) {
    putOrder(api.sandbox, p);
    const opened = await call(
      callers(p.customerId, p.merchantId).customer,
      'POST',
      '/v1/complaints',
      openBody(p, { subType, description }),
    );
    expect(opened.status).toBe(201);
  }
  // Each case as the workflow routed it, before any page reads it.
  for (const [caseId, department] of [
    [id, PRODUCT],
    [lateId, LOGISTICS],
    [fakeId, 'compliance'],
  ]) {
    await eventually(
      () => call(as.supervisor, 'GET', `/v1/complaints/${caseId}`),
      (r) => r.body.department === department,
      `${caseId} routed to ${department}`,
    );
  }
}, SETUP_TIMEOUT_MS);

describe('the case page', () => {
  it("shows the product team's staff where the case is routed and lets them add a finding, shown as text with who added it", async () => {
    const page = await signIn(world, 'agent', productStaff.sub, { department: productStaff.department });
    await page.goto(caseUrl(id));
    await page.locator('.case-head .case-department').filter({ hasText: '商品团队' }).waitFor();
    await page.locator('#department p.empty').filter({ hasText: '暂无部门发现' }).waitFor();
    const form = page.locator('form[data-action="findings"]');
    await form.getByLabel('发现内容').fill(FINDING);
    await form.getByRole('button', { name: '提交' }).click();
    const row = page.locator('#findings tbody tr').filter({ hasText: productStaff.sub });
    await row.waitFor();
    expect(await row.innerText()).toContain(FINDING);
    expect(await page.locator('#findings b').count()).toBe(0);
    await shot(page, 'case-findings.png', true);

    const now = await call(as.supervisor, 'GET', `/v1/complaints/${id}`);
    expect(now.body.departmentFindings).toEqual([
      expect.objectContaining({ department: PRODUCT, text: FINDING, by: productStaff.sub }),
    ]);
    await page.context().close();
  }, 120_000);

  it('shows the finding to the owner, another department and a supervisor, none of whom gets the form', async () => {
    await eventually(
      () => call(as.supervisor, 'GET', `/v1/complaints/${id}`),
      (r) => Array.isArray(r.body.departmentFindings) && r.body.departmentFindings.length === 1,
      'the finding recorded',
    );
    for (const [role, sub, department] of [
      ['agent', as.agent.sub, undefined],
      ['agent', logisticsStaff.sub, logisticsStaff.department],
      ['supervisor', as.supervisor.sub, undefined],
      ['compliance', as.compliance.sub, undefined],
    ] as const) {
      const page = await signIn(world, role, sub, { department });
      await page.goto(caseUrl(id));
      await page.locator('#findings tbody tr').filter({ hasText: productStaff.sub }).waitFor();
      expect([sub, await page.locator('form[data-action="findings"]').count()]).toEqual([sub, 0]);
      await page.context().close();
    }
    // The API agrees: another department's staff may not add one.
    const refused = await call(
      { ...as.agent, sub: logisticsStaff.sub, department: LOGISTICS },
      'POST',
      `/v1/complaints/${id}/findings`,
      { text: '不是我们的案件' },
    );
    expect(refused.status).toBe(403);
  }, 180_000);

  it('lets compliance add a finding to a compliance case, their department, without a department claim', async () => {
    const page = await signIn(world, 'compliance', as.compliance.sub);
    await page.goto(caseUrl(fakeId));
    await page.locator('.case-head .case-department').filter({ hasText: '合规部' }).waitFor();
    const form = page.locator('form[data-action="findings"]');
    await form.getByLabel('发现内容').fill('商标与正品不符');
    await form.getByRole('button', { name: '提交' }).click();
    await page.locator('#findings tbody tr').filter({ hasText: '商标与正品不符' }).waitFor();
    await page.context().close();
  }, 120_000);
});

it('the queue lists one department’s cases when asked', async () => {
  const page = await signIn(world, 'agent', as.agent.sub);
  const mine = page.locator('#my-cases tr').filter({ hasText: id });
  const unassigned = (caseId: string) => page.locator('#unassigned tr').filter({ hasText: caseId });
  // The list reads the projection, a moment behind the cases: load the page again until both show
  // (a whole load, so no earlier drawing of the page lands after the filter is chosen).
  await page.goto(`${world.base}/console/#/queue`);
  await eventually(
    async () => {
      await page.reload();
      await page.locator('#queue-department').waitFor();
      return (await mine.count()) + (await unassigned(lateId).count());
    },
    (n) => n === 2,
    'both cases in the queue',
    60_000,
  );

  // The page drawn for the filter marks its department chosen (a person's pick alone does not).
  const drawnFor = (department: string) =>
    page.locator(`#queue-department option[value="${department}"][selected]`).waitFor({ state: 'attached' });
  await page.getByLabel('部门', { exact: true }).selectOption(LOGISTICS);
  await page.getByRole('button', { name: '查询' }).click();
  await drawnFor(LOGISTICS);
  await unassigned(lateId).waitFor();
  expect(await mine.count()).toBe(0);
  expect(await unassigned(fakeId).count()).toBe(0);

  await page.getByLabel('部门', { exact: true }).selectOption(PRODUCT);
  await page.getByRole('button', { name: '查询' }).click();
  await drawnFor(PRODUCT);
  await mine.waitFor();
  expect(await unassigned(lateId).count()).toBe(0);
  await page.context().close();
}, 120_000);

it("the reports page gives each department's share of the period's cases", async () => {
  // Three cases opened today, one routed to each department: a third each.
  const third = `${((1 / 3) * 100).toFixed(1)}%`;
  const names = ['商品团队', '仓储物流', '合规部'];
  const page = await signIn(world, 'ops_manager', as.ops_manager.sub);
  const chart = page.locator('#chart-departments svg');
  // The reports read the stored projections, which may land in any order: wait for all three cases,
  // and judge the label the wait saw, not a later render's.
  const label = await eventually(
    async () => {
      await page.goto(`${world.base}/console/#/reports?reload=${Date.now()}`);
      await page.locator('#chart-departments').waitFor();
      return (await chart.count()) ? ((await chart.getAttribute('aria-label')) ?? '') : '';
    },
    (seen) => names.every((name) => seen.includes(name)),
    'every department in the chart',
    60_000,
  );
  for (const name of names) expect(label).toContain(`${name} ${third} (1)`);
  await page.context().close();
}, 120_000);
