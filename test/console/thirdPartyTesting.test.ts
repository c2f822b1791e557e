import { eventually } from '../support/poll';
import { SETUP_TIMEOUT_MS, signIn, useConsoleCase } from './browser';

/**
 * docs/domain.md §8.6 in the console: a case whose plan is a joint third-party test shows the lab and that
 * its result is awaited (第三方检测: 等待检测结果, with its due time); the owning agent records the lab's
 * result there (记录第三方检测结果: 检测确认存在质量问题, 检测报告链接, 说明, 提交); the page then shows the
 * result with the report as a link, and the case is back with its owner to propose.
 */

const LAB = '国家日用品质量检验检测中心';
const REPORT = 'https://lab.example.com/reports/2026-118.pdf';

const { world, as, id, call } = useConsoleCase({
  subType: 'quality_defect',
  description: '水壶底部漏水，商家说是人为损坏',
});
let dueAt = '';

beforeAll(async () => {
  expect(
    (await call(as.agent, 'POST', `/v1/complaints/${id}/first-response`, { message: '您好，我们正在核实。' })).status,
  ).toBe(200);
  expect(
    (
      await call(as.agent, 'POST', `/v1/complaints/${id}/investigation/brief`, {
        responsibility: 'undetermined',
        findings: '顾客与商家对质量问题各执一词',
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await call(as.agent, 'POST', `/v1/complaints/${id}/resolution`, {
        type: 'third_party_testing',
        testingLab: LAB,
        note: '三方同意送检',
      })
    ).status,
  ).toBe(200);
  const waiting = await eventually(
    () => call(as.agent, 'GET', `/v1/complaints/${id}`),
    (r) =>
      (r.body.resolution as { steps: Array<{ name: string; status: string }> }).steps.some(
        (s) => s.name === 'third_party_testing' && s.status === 'waiting',
      ),
    'the test waiting for the lab',
    60_000,
  );
  dueAt = (waiting.body.resolution as { steps: Array<{ name: string; dueAt: string }> }).steps.find(
    (s) => s.name === 'third_party_testing',
  )!.dueAt;
}, SETUP_TIMEOUT_MS);

it('shows the pending lab test and records its result from the case page', async () => {
  const agent = await signIn(world, 'agent', as.agent.sub);
  await agent.goto(`${world.base}/console/#/case/${encodeURIComponent(id)}`);
  const testing = agent.locator('#testing');
  await testing.waitFor();
  await testing.getByText(LAB).waitFor();
  await testing.locator('.testing-state').filter({ hasText: '等待检测结果，截止' }).waitFor();
  // The lab's clock, as the case carries it.
  const clock = agent.locator('#deadlines tr').filter({ hasText: '第三方检测结果' });
  expect(await clock.locator('.countdown').getAttribute('data-due')).toBe(dueAt);

  const form = agent.locator('form[data-action="testing-result"]');
  await form.waitFor();
  // A report link that is not https: is refused beside its field, and nothing is recorded.
  await form.getByLabel('检测确认存在质量问题').check();
  await form.getByLabel('检测报告链接（https）').fill('http://lab.example.com/r.pdf');
  await form.getByLabel('说明').fill('密封圈耐压不合格');
  await form.getByRole('button', { name: '提交' }).click();
  await form.locator('[data-field="reportUrl"] .field-error').filter({ hasText: 'https' }).waitFor();

  await form.getByLabel('检测报告链接（https）').fill(REPORT);
  await form.getByRole('button', { name: '提交' }).click();
  await testing
    .locator('.testing-state')
    .filter({ hasText: `检测确认存在质量问题（${as.agent.sub}）` })
    .waitFor();
  expect(await testing.locator('a.testing-report-link').getAttribute('href')).toBe(REPORT);
  expect(await agent.locator('form[data-action="testing-result"]').count()).toBe(0);

  const back = await eventually(
    () => call(as.agent, 'GET', `/v1/complaints/${id}`),
    (r) => r.body.status === 'in_progress',
    'the case back with its owner',
    60_000,
  );
  expect(back.body.owner).toBe(as.agent.sub);
  await agent.context().close();
}, 180_000);
