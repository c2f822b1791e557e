import { writeCase } from '../../store/cases';
import { startApi, type ApiHarness } from '../api/support';
import { caseView } from '../../dev/builders';
import { type ConsoleWorld, serveConsole, signIn as signInTo } from './browser';

/**
 * The console's 质检 page (docs/console.md) in headless Chromium against the real API: an operations
 * manager draws October (three cases closed, two agents: 5 % rounds up to one, at least one of each
 * agent makes two), a supervisor scores one on the checklist and the per-agent table shows it.
 */

let h: ApiHarness;
let world: ConsoleWorld;
const signIn = (role: string, sub: string) => signInTo(world, role, sub);

const closed = (n: number, agent: string) =>
  caseView({
    complaintId: `cmp.c-qa-${n}.o-1.quality_defect`,
    owner: agent,
    status: 'closed',
    closeReason: 'resolved',
    closedAt: '2026-10-15T02:00:00.000Z',
  });

beforeAll(async () => {
  h = await startApi();
  for (const [n, agent] of [
    [1, 'agent-a'],
    [2, 'agent-a'],
    [3, 'agent-b'],
  ] as const)
    await writeCase(h.db.cases, closed(n, agent), 1);
  world = await serveConsole(h);
}, 120_000);

afterAll(async () => {
  await world?.close();
  await h?.close();
});

describe('the 质检 page', () => {
  it('an operations manager draws October: one of each agent, nothing to score for them', async () => {
    const page = await signIn('ops_manager', 'ops-1');
    await page.locator('nav a', { hasText: '质检' }).click();
    await page.locator('main h1').filter({ hasText: '质检' }).waitFor();
    await page.getByLabel('月份').fill('2026-10');
    await page.getByRole('button', { name: '抽取本月质检样本' }).click();
    await page.locator('#qa-queue tbody tr').nth(1).waitFor();
    const rows = await page.locator('#qa-queue tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => (r.includes('agent-a') ? 'agent-a' : r.includes('agent-b') ? 'agent-b' : r)).sort()).toEqual(
      ['agent-a', 'agent-b'],
    );
    expect(rows.every((r) => r.includes('待评分'))).toBe(true);
    expect(await page.locator('form.qa-score').count()).toBe(0);
  });

  it('a supervisor scores a case on the checklist; the row and the per-agent table show it', async () => {
    const page = await signIn('supervisor', 'sup-1');
    await page.goto(`${world.base}/console/#/qa?month=2026-10`);
    const form = page.locator('#qa-queue tbody tr').filter({ hasText: 'agent-b' }).locator('form.qa-score');
    for (const item of ['首次响应及时', '用语规范', '记录完整', '回访完成'])
      await form.locator('fieldset', { hasText: item }).getByLabel('通过', { exact: true }).check();
    const fit = form.locator('fieldset', { hasText: '方案合理' });
    await fit.getByLabel('不通过').check();
    await fit.getByLabel('说明').fill('优惠券即可');
    await form.getByRole('button', { name: '保存评分' }).click();
    await page.locator('#qa-queue tbody tr').filter({ hasText: 'agent-b' }).filter({ hasText: '通过 4/5' }).waitFor();
    const agents = await page.locator('#qa-agents tbody tr').allInnerTexts();
    expect(agents.find((r) => r.includes('agent-b'))).toMatch(/agent-b\s+1\s+1\s+80%/);
    expect(agents.find((r) => r.includes('agent-a'))).toMatch(/agent-a\s+1\s+0\s+—/);
  });
});
