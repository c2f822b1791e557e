import { eventually } from '../support/poll';
import { SETUP_TIMEOUT_MS, signIn, useConsoleCase } from './browser';

/**
 * docs/domain.md §9.4 in the console: the agent who marked a customer extremely upset (high, §2.2) finds the phone
 * call in 我的队列 (待回访电话) with its due time, 24 h after the execution; on the case page they record
 * it reached with a rating of 5 (已联系上顾客, 顾客评分, 通话备注, 提交); the case shows the outcome,
 * the rating closes the case, and the call leaves the queue.
 */

const CALL_WITHIN_MS = 24 * 3_600_000;

const { world, as, id, call } = useConsoleCase({ subType: 'other', description: '礼品包装付了钱却没有包装' });
let dueAt = '';

beforeAll(async () => {
  expect(
    (await call(as.agent, 'POST', `/v1/complaints/${id}/upset`, { reason: '电话中情绪激动，扬言曝光' })).status,
  ).toBe(200);
  expect(
    (await call(as.agent, 'POST', `/v1/complaints/${id}/first-response`, { message: '您好，我们正在核实。' })).status,
  ).toBe(200);
  expect(
    (
      await call(as.agent, 'POST', `/v1/complaints/${id}/investigation/brief`, {
        responsibility: 'platform',
        findings: '礼品包装漏做',
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await call(as.agent, 'POST', `/v1/complaints/${id}/resolution`, {
        type: 'refund',
        amountFen: 1_000,
        note: '退还包装费',
      })
    ).status,
  ).toBe(200);
  const executed = await eventually(
    () => call(as.agent, 'GET', `/v1/complaints/${id}`),
    (r) => (r.body.phoneCallback as { dueAt?: string } | undefined)?.dueAt !== undefined,
    'the call task',
    60_000,
  );
  dueAt = (executed.body.phoneCallback as { dueAt: string }).dueAt;
  expect(Date.parse(dueAt)).toBe(
    Date.parse((executed.body.resolution as { executedAt: string }).executedAt) + CALL_WITHIN_MS,
  );
}, SETUP_TIMEOUT_MS);

it("the call shows in the agent's queue with its due time; recorded on the case page, it closes the case on the rating and leaves the queue", async () => {
  const agent = await signIn(world, 'agent', as.agent.sub);
  const row = agent.locator('#my-calls tr').filter({ hasText: id });
  // The queue reads the case list, a moment behind the case: read the page again until it shows.
  await eventually(
    async () => {
      await agent.goto(`${world.base}/console/#/`);
      // The section is there, empty or not (an empty table is a note, without the table's id).
      await agent
        .locator('main')
        .getByText(/^待回访电话 \(\d+\)$/)
        .waitFor();
      return row.count();
    },
    (n) => n > 0,
    'the call in the queue',
    60_000,
  );
  await agent.locator('main').getByText('待回访电话 (1)').waitFor();
  // Its due time as the console writes times, and a live countdown.
  expect(await row.locator('.countdown').getAttribute('data-due')).toBe(dueAt);

  await agent.goto(`${world.base}/console/#/case/${encodeURIComponent(id)}`);
  const form = agent.locator('form[data-action="phone-callback"]');
  await form.waitFor();
  await form.getByLabel('已联系上顾客').check();
  await form.getByLabel('顾客评分（1–5）').fill('5');
  await form.getByLabel('通话备注').fill('顾客对退款满意');
  await form.getByRole('button', { name: '提交' }).click();
  await agent.locator('.phone-callback').filter({ hasText: '已联系上，评分 5/5' }).waitFor();
  expect(await agent.locator('form[data-action="phone-callback"]').count()).toBe(0);

  const closed = await eventually(
    () => call(as.supervisor, 'GET', `/v1/complaints/${id}`),
    (r) => r.body.status === 'closed',
    'closed on the rating',
    60_000,
  );
  expect(closed.body.closeReason).toBe('resolved');
  await eventually(
    async () => {
      await agent.goto(`${world.base}/console/#/`);
      await agent
        .locator('main')
        .getByText(/^待回访电话 \(\d+\)$/)
        .waitFor();
      return row.count();
    },
    (n) => n === 0,
    'the call gone from the queue',
    60_000,
  );
  await agent.context().close();
}, 180_000);
