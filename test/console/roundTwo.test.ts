import type { Claims } from '../../api/auth';
import { complaintWorkflowId } from '../../shared/identity';
import { callers, openBody, party, putOrder, startApi, startWorker, type ApiHarness } from '../api/support';
import { eventually } from '../support/poll';
import { type ConsoleWorld, serveConsole, signIn as signInTo } from './browser';

/**
 * A second round in the console (docs/domain.md §9.3, §7.4, §7.7): the customer objects, the case
 * reopens with nobody owning it; a supervisor finds the proposal form on the case page and
 * proposes above the approval threshold; the plan is not in their own approvals list (nobody
 * decides a plan they proposed) but is in another supervisor's, who approves it there.
 */

let h: ApiHarness;
let worker: { stop(): Promise<void> };
let world: ConsoleWorld;
const signIn = (role: string, sub: string) => signInTo(world, role, sub);

const p = party();
const as = callers(p.customerId, p.merchantId);
const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
const secondSupervisor: Claims = { sub: 'sup-2', role: 'supervisor' };

const call = (claims: Claims, method: string, route: string, body?: object) => world.call(claims, method, route, body);

const caseNow = async () => (await call(as.agent, 'GET', `/v1/complaints/${id}`)).body;

beforeAll(async () => {
  h = await startApi();
  putOrder(h.sandbox, p, 89_900);
  worker = await startWorker(h);
  world = await serveConsole(h);

  // Round one through the API: a 50 CNY refund the customer objects to.
  expect(
    (await call(as.customer, 'POST', '/v1/complaints', openBody(p, { description: '电水壶用了两天就漏水' }))).status,
  ).toBe(201);
  await eventually(
    () => call(as.agent, 'POST', `/v1/complaints/${id}/assign`, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  expect(
    (await call(as.agent, 'POST', `/v1/complaints/${id}/first-response`, { message: '您好，我们正在核实。' })).status,
  ).toBe(200);
  expect(
    (
      await call(as.agent, 'POST', `/v1/complaints/${id}/investigation/brief`, {
        responsibility: 'merchant',
        findings: '密封圈缺陷',
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await call(as.agent, 'POST', `/v1/complaints/${id}/resolution`, {
        type: 'refund',
        amountFen: 5_000,
        note: '先退 50 元',
      })
    ).status,
  ).toBe(200);
  await eventually(caseNow, (v) => v.status === 'awaiting_customer', 'the solution executed', 60_000);
  expect(
    (
      await call(as.customer, 'POST', `/v1/complaints/${id}/customer-response`, {
        accept: false,
        reason: '只退了一小部分',
      })
    ).status,
  ).toBe(200);
  await eventually(caseNow, (v) => v.round === 2 && v.status === 'in_progress', 'round two open', 60_000);
}, 180_000);

afterAll(async () => {
  await world?.close();
  await worker?.stop();
  await h?.close();
});

describe('a second round, one level up and four eyes', () => {
  it("offers the reopened case's proposal to a supervisor, whose plan above the threshold waits for approval", async () => {
    const supervisor = await signIn('supervisor', as.supervisor.sub);
    await supervisor.goto(`${world.base}/console/#/case/${encodeURIComponent(id)}`);
    const form = supervisor.locator('form[data-action="resolution"]');
    await form.waitFor();
    await form.getByLabel('方案类型').selectOption('refund');
    // 50 + 600 CNY paid out on this case: above the 500 CNY an agent may grant alone.
    await form.getByLabel('金额（元）').fill('600');
    await form.getByLabel('说明').fill('退还剩余货款');
    await form.getByRole('button', { name: '提交' }).click();
    await supervisor.locator('.case-head .badge.status-awaiting_approval').waitFor();
    // Nobody decides a plan they proposed: neither on the case page nor in their approvals.
    expect(await supervisor.locator('form[data-action="approval"]').count()).toBe(0);
    await supervisor.goto(`${world.base}/console/#/approvals`);
    await supervisor.locator('main h1').filter({ hasText: '待审批方案' }).waitFor();
    expect(await supervisor.locator('#approvals tr').filter({ hasText: id }).count()).toBe(0);
    await supervisor.context().close();
  });

  it('lets another supervisor approve it from their approvals', async () => {
    const other = await signIn('supervisor', secondSupervisor.sub);
    await other.goto(`${world.base}/console/#/approvals`);
    const row = other.locator('#approvals tr').filter({ hasText: id });
    // The list is the projection, a moment behind the case: read the page again until it shows.
    await eventually(
      async () => {
        await other.reload();
        await other.locator('main h1').waitFor();
        return row.count();
      },
      (n) => n > 0,
      'the approval row in the other console',
      60_000,
    );
    await row.getByLabel('原因').fill('核对无误，同意');
    await row.getByRole('button', { name: '批准' }).click();
    await row.getByRole('status').filter({ hasText: '已批准' }).waitFor();
    const decided = (await caseNow()).resolution as { approval: { decidedBy: string } };
    expect(decided.approval.decidedBy).toBe(secondSupervisor.sub);
    await other.context().close();
  });
});
