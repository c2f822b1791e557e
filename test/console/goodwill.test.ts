import { callers, openBody, party, putOrder } from '../api/support';
import { complaintWorkflowId } from '../../shared/identity';
import { eventually } from '../support/poll';
import type { Page } from 'playwright-core';
import { signIn, useConsole } from './browser';

/**
 * docs/domain.md §7.1, §7.4 on the case page, through the resolution form drawn from `/openapi.json`: an
 * extended warranty names its months (1–24) and the agent grants it alone, the merchant told to extend the
 * item's warranty; a public apology carries the words staff wrote (at most 260 characters), a supervisor
 * approves it (reputation impact), and the customer receives those words.
 */

const { api, world, call } = useConsole({ worker: true });

/** docs/domain.md §7.1: an extended warranty's months, 1 to 24; an apology's words, at most 260 characters. */
const WARRANTY_MONTHS = { min: 1, max: 24 };
const APOLOGY_MAX = 260;

/** A case opened by its customer, taken, answered and investigated by the agent: ready for a proposal. */
async function readyToPropose(subType: string, description: string) {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  putOrder(api.sandbox, p);
  expect((await call(as.customer, 'POST', '/v1/complaints', openBody(p, { subType, description }))).status).toBe(201);
  const id = complaintWorkflowId(p.customerId, p.orderId, subType);
  await eventually(
    () => call(as.agent, 'POST', `/v1/complaints/${id}/assign`, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  const on = (action: string, body: object) => call(as.agent, 'POST', `/v1/complaints/${id}/${action}`, body);
  expect((await on('first-response', { message: '您好，我们正在核实。' })).status).toBe(200);
  expect((await on('investigation/brief', { responsibility: 'platform', findings: '核实属实' })).status).toBe(200);
  return { id, as };
}

/** The case's page, once drawn: the page signing in landed on (a supervisor's approvals) has forms of the same actions. */
async function openCase(page: Page, id: string): Promise<void> {
  await page.goto(`${world.base}/console/#/case/${encodeURIComponent(id)}`);
  await page.locator('main h1').filter({ hasText: id }).waitFor();
}

/** The case page read afresh: its plan, approval, execution steps and messages sent. */
async function caseFacts(page: Page) {
  await page.reload();
  await page.locator('.case-head').waitFor();
  const fact = (label: string) =>
    page
      .locator('dl.facts dt', { hasText: new RegExp(`^${label}$`) })
      .locator('xpath=following-sibling::dd[1]')
      .innerText();
  return {
    proposal: await fact('方案'),
    approval: await fact('审批'),
    // No step at all (an apology is a message): the table is not drawn.
    steps: (await page.locator('#steps').count()) ? await page.locator('#steps').innerText() : '',
    messages: await page.locator('#messages').innerText(),
  };
}

it('an agent grants a 24-month extended warranty alone, and the merchant is told', async () => {
  const { id, as } = await readyToPropose('quality_defect', '水壶用了两周就漏水');
  const agent = await signIn(world, 'agent', as.agent.sub);
  await openCase(agent, id);
  const form = agent.locator('form[data-action="resolution"]');
  await form.getByLabel('方案类型').selectOption('extended_warranty');
  const months = form.getByLabel('延长保修（月）');
  // The contract's limits, as docs/domain.md gives them, on the form's field.
  expect([await months.getAttribute('min'), await months.getAttribute('max')]).toEqual([
    String(WARRANTY_MONTHS.min),
    String(WARRANTY_MONTHS.max),
  ]);
  await months.fill(String(WARRANTY_MONTHS.max));
  await form.getByLabel('说明').fill('为顾客延长保修');
  await form.getByRole('button', { name: '提交' }).click();

  await agent.locator('.proposal').filter({ hasText: '延长保修 24 个月 — 为顾客延长保修' }).waitFor();
  // The step: the merchant told to extend the item's warranty, done (read afresh until it is).
  const done = await eventually(
    () => caseFacts(agent),
    (f) => /通知商家延长保修\s+已完成/.test(f.steps),
    'the warranty notice done',
    60_000,
  );
  expect(done.proposal).toBe('延长保修 24 个月 — 为顾客延长保修');
  // Goodwill without money: no approval (docs/domain.md §7.3, §7.4).
  expect(done.approval).toBe('无需审批');
  await agent.context().close();
}, 180_000);

it('a supervisor approves an apology in the words the agent wrote, and the customer receives them', async () => {
  const { id, as } = await readyToPropose('rude_agent', '客服态度恶劣，挂断电话');
  const words = '因客服答复不当给您带来困扰，我们深表歉意，已对相关客服进行培训。';
  const agent = await signIn(world, 'agent', as.agent.sub);
  await openCase(agent, id);
  const form = agent.locator('form[data-action="resolution"]');
  await form.getByLabel('方案类型').selectOption('apology');
  const field = form.getByLabel('致歉内容（原文发给顾客，不填则发正式致歉）');
  expect(await field.getAttribute('maxlength')).toBe(String(APOLOGY_MAX));
  await field.fill(words);
  await form.getByLabel('说明').fill('客服致歉');
  await form.getByRole('button', { name: '提交' }).click();
  await agent.locator('.case-head .badge.status-awaiting_approval').waitFor();
  await expect(agent.locator('.apology-words').innerText()).resolves.toBe(words);
  // docs/domain.md §7.4: a public apology has reputation impact, so a supervisor approves it.
  await expect(agent.locator('main').innerText()).resolves.toContain('需要主管审批：公开致歉，影响声誉');
  await agent.context().close();

  const supervisor = await signIn(world, 'supervisor', as.supervisor.sub);
  await openCase(supervisor, id);
  const approval = supervisor.locator('form[data-action="approval"]');
  await approval.getByLabel('原因').fill('措辞得当，同意致歉');
  await approval.getByRole('button', { name: '批准' }).click();
  await approval.waitFor({ state: 'detached' });
  // The decision, and the step's outcome: the apology went to the customer (read afresh until it has).
  const decided = await eventually(
    () => caseFacts(supervisor),
    (f) => f.messages.includes('template: apology'),
    'the apology sent',
    60_000,
  );
  expect(decided.approval).toBe(`批准（${as.supervisor.sub}）：措辞得当，同意致歉`);
  const sms = api.sandbox.store.messages({ complaintId: id }).find((m) => m.template === 'apology');
  expect(sms?.text).toContain(words);
  await supervisor.context().close();
}, 180_000);
