import { signIn, useConsoleCase } from './browser';

/**
 * docs/domain.md §2.2 in the console: the agent who owns a routine case marks the customer extremely upset from
 * the case page (a reason, then 提交); the case turns high priority and shows the mark, and the form
 * is gone (a case is marked once).
 */

const { world, as, id, call } = useConsoleCase({ subType: 'other', description: '包装太简陋' });

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
  const now = await call(as.supervisor, 'GET', `/v1/complaints/${id}`);
  expect(now.body.priority).toBe('high');
  await agent.context().close();
}, 180_000);
