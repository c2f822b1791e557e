import { complaintWorkflowId } from '../../shared/identity';
import { callers, openBody, party, putOrder, startApi, startWorker, type ApiHarness } from '../api/support';
import { eventually } from '../support/poll';
import { type ConsoleWorld, serveConsole, signIn } from './browser';

/**
 * docs/domain.md §7.9 in the console: staff see on the case page the options the merchant offered
 * (换货, 保留商品并补偿 ¥30.00), that the case waits for the customer's choice, and then what the
 * customer chose.
 */

let h: ApiHarness;
let worker: { stop(): Promise<void> };
let world: ConsoleWorld;

const p = party();
const as = callers(p.customerId, p.merchantId);
const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');

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
  expect((await call('POST', '/v1/complaints', as.customer, openBody(p))).status).toBe(201);
  await eventually(
    () => call('POST', `/v1/complaints/${id}/assign`, as.agent, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  expect(
    (await call('POST', `/v1/complaints/${id}/first-response`, as.agent, { message: '您好，我们正在核实。' })).status,
  ).toBe(200);
  expect(
    (
      await call('POST', `/v1/complaints/${id}/merchant-reply`, as.merchant, {
        message: '可换货或补偿',
        options: [{ option: 'exchange' }, { option: 'keep_with_compensation', compensationFen: 3_000 }],
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await call('POST', `/v1/complaints/${id}/investigation/brief`, as.agent, {
        responsibility: 'merchant',
        findings: '密封圈缺陷',
      })
    ).status,
  ).toBe(200);
}, 180_000);

afterAll(async () => {
  await world?.close();
  await worker?.stop();
  await h?.close();
});

it('the case page shows the merchant options, the wait for the customer, then the customer choice', async () => {
  const agent = await signIn(world, 'agent', as.agent.sub);
  const page = `${world.base}/console/#/case/${encodeURIComponent(id)}`;
  await agent.goto(page);
  const offered = agent.locator('.offered-options li');
  await offered.first().waitFor();
  expect(await offered.allInnerTexts()).toEqual(['换货', '保留商品并补偿 ¥30.00']);
  await agent.locator('.customer-choice').filter({ hasText: '等待顾客选择' }).waitFor();

  expect((await call('POST', `/v1/complaints/${id}/choice`, as.customer, { option: 'exchange' })).status).toBe(200);
  await agent.reload();
  await agent.locator('.customer-choice').filter({ hasText: '换货' }).waitFor();
  await agent.context().close();
}, 180_000);
