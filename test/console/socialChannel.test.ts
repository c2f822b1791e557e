import { signIn, useConsoleCase } from './browser';

/**
 * docs/domain.md §2.6 in the console: a complaint from Weibo owes the customer a private message
 * within 2 h of intake, day and night. The agent who owns it sees on the case page that it came from
 * Weibo, and its own deadline (the private message), due 2 h after intake, counting down from
 * under 2 h.
 */

/** docs/domain.md §2.6 and §3's table: the private message's window. */
const SOCIAL_REPLY_MS = 2 * 3_600_000;

const openedFrom = Date.now();
const { world, as, id } = useConsoleCase({ subType: 'other', channel: 'weibo', description: '微博上发帖投诉包装破损' });

it('the case page shows the owning agent the Weibo channel and the private message due 2 h after intake', async () => {
  const openedBy = Date.now();
  const agent = await signIn(world, 'agent', as.agent.sub);
  await agent.goto(`${world.base}/console/#/case/${encodeURIComponent(id)}`);
  await agent.locator('.case-head .case-channel').filter({ hasText: '渠道: 微博' }).waitFor();

  const row = agent.locator('#deadlines tr').filter({ hasText: '社媒私信（2 小时）' });
  await row.waitFor();
  const due = Date.parse((await row.locator('[data-due]').getAttribute('data-due')) ?? '');
  expect(due).toBeGreaterThanOrEqual(openedFrom + SOCIAL_REPLY_MS - 1000);
  expect(due).toBeLessThanOrEqual(openedBy + SOCIAL_REPLY_MS);
  // The countdown: under 2 h left, not yet 1 h gone.
  expect(await row.locator('.countdown').textContent()).toMatch(/^剩 1小时\d{2}分$/);
  await agent.context().close();
}, 180_000);
