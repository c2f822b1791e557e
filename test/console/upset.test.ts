import { complaintWorkflowId } from '../../shared/identity';
import { callers, openBody, party, putOrder, startApi, startWorker, type ApiHarness } from '../api/support';
import { eventually } from '../support/poll';
import { type ConsoleWorld, serveConsole, signIn } from './browser';

/**
 * docs/domain.md §2.2 in the console: the agent who owns a routine case marks the customer extremely upset from
 * the case page (a reason, then 提交); the case turns high priority and shows the mark, and the form
 * is gone (a case is marked once).
 */

let h: ApiHarness;
let worker: { stop(): Promise<void> };
let world: ConsoleWorld;

const p = party();
const as = callers(p.customerId, p.merchantId);
const id = complaintWorkflowId(p.customerId, p.orderId, 'other');

async function call(
  method: string,
  route: string,
  claims: (typeof as)[keyof typeof as],
  body?: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${world.base}${route}`, {
    method,
    headers: { authorization: await h.bearer(claims), ...(body && { 'content-type': 'application/json' }) },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  h = await startApi();
  putOrder(h.sandbox, p);
  worker = await startWorker(h);
  world = await serveConsole(h);
  expect(
    (await call('POST', '/v1/complaints', as.customer, openBody(p, { subType: 'other', description: '包装太简陋' })))
      .status,
  ).toBe(201);
  await eventually(
    () => call('POST', `/v1/complaints/${id}/assign`, as.agent, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
}, 180_000);

afterAll(async () => {
  await world?.close();
  await worker?.stop();
  await h?.close();
});

it('the owning agent marks the customer extremely upset on the case page; the case turns high and shows who marked it', async () => {
  const agent = await signIn(world, 'agent', as.agent.sub);
  await agent.goto(`${world.base}/console/#/case/${encodeURIComponent(id)}`);
  await agent.locator('.case-head .badge.priority-low').waitFor();
  const form = agent.locator('form[data-action="upset"]');
  await form.getByLabel('原因').fill('电话中情绪激动，扬言取消所有订单');
  await form.getByRole('button', { name: '提交' }).click();
  await agent.locator('.case-head .badge.priority-high').first().waitFor();
  await agent.locator('.case-head .upset-mark').filter({ hasText: as.agent.sub }).waitFor();
  expect(await agent.locator('form[data-action="upset"]').count()).toBe(0);
  const now = await call('GET', `/v1/complaints/${id}`, as.supervisor);
  expect(now.body.priority).toBe('high');
  await agent.context().close();
}, 180_000);
