import { SETUP_TIMEOUT_MS, signIn, useConsoleCase } from './browser';

/**
 * docs/domain.md §7.9 in the console: staff see on the case page the options the merchant offered
 * (换货, 保留商品并补偿 ¥30.00), that the case waits for the customer's choice, and then what the
 * customer chose.
 */

const { world, as, id, call } = useConsoleCase({ subType: 'quality_defect' });

beforeAll(async () => {
  expect(
    (await call(as.agent, 'POST', `/v1/complaints/${id}/first-response`, { message: '您好，我们正在核实。' })).status,
  ).toBe(200);
  expect(
    (
      await call(as.merchant, 'POST', `/v1/complaints/${id}/merchant-reply`, {
        message: '可换货或补偿',
        options: [{ option: 'exchange' }, { option: 'keep_with_compensation', compensationFen: 3_000 }],
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await call(as.agent, 'POST', `/v1/complaints/${id}/investigation/brief`, {
        responsibility: 'merchant',
        findings: '密封圈缺陷',
      })
    ).status,
  ).toBe(200);
}, SETUP_TIMEOUT_MS);

it('the case page shows the merchant options, the wait for the customer, then the customer choice', async () => {
  const agent = await signIn(world, 'agent', as.agent.sub);
  const page = `${world.base}/console/#/case/${encodeURIComponent(id)}`;
  await agent.goto(page);
  const offered = agent.locator('.offered-options li');
  await offered.first().waitFor();
  expect(await offered.allInnerTexts()).toEqual(['换货', '保留商品并补偿 ¥30.00']);
  await agent.locator('.customer-choice').filter({ hasText: '等待顾客选择' }).waitFor();

  expect((await call(as.customer, 'POST', `/v1/complaints/${id}/choice`, { option: 'exchange' })).status).toBe(200);
  await agent.reload();
  await agent.locator('.customer-choice').filter({ hasText: '换货' }).waitFor();
  await agent.context().close();
}, 180_000);
