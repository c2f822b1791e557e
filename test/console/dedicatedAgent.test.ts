import { eventually } from '../support/poll';
import { SETUP_TIMEOUT_MS, signIn, useConsoleCase } from './browser';

/**
 * docs/domain.md §7.1 in the console: a case whose plan could not record the customer's dedicated agent
 * (its 专属客服 step failed) shows a supervisor the 补录专属客服 form, the agent filled in as the plan
 * named it (else the case's owner); submitted with a reason, the record intake reads names that agent,
 * with who recorded it and why. An agent gets no such form.
 *
 * The failed record is a case kept in the store with that step failed (a case whose workflow is gone is
 * read from there, as a retained case): the record's retries outlast a suite, so the suite does not wait
 * for a real one to fail.
 */

const { api, world, as, keepClosed } = useConsoleCase({
  subType: 'rude_agent',
  description: '客服态度恶劣，要求专人跟进',
});

let kept: string;

beforeAll(async () => {
  kept = await keepClosed(9, (_live, at) => ({
    proposal: { type: 'dedicated_agent', note: '专人跟进', proposedBy: as.agent.sub, at },
    steps: [{ name: 'dedicated_agent', status: 'failed', owner: 'platform', dueAt: at, updatedAt: at }],
  }));
}, SETUP_TIMEOUT_MS);

it("a supervisor records the customer's dedicated agent from the case whose record failed", async () => {
  const agent = await signIn(world, 'agent', as.agent.sub);
  await agent.goto(`${world.base}/console/#/case/${encodeURIComponent(kept)}`);
  await agent.locator('#steps').waitFor();
  expect(await agent.locator('form[data-action="dedicated-agent"]').count()).toBe(0);
  await agent.context().close();

  const supervisor = await signIn(world, 'supervisor', as.supervisor.sub);
  await supervisor.goto(`${world.base}/console/#/case/${encodeURIComponent(kept)}`);
  const form = supervisor.locator('form[data-action="dedicated-agent"]');
  await form.waitFor();
  await form.getByRole('heading', { name: '补录专属客服' }).waitFor();
  // The plan named nobody: the case's owner, as the plan would have recorded.
  expect(await form.getByLabel('客服工号').inputValue()).toBe(as.agent.sub);
  // A reason is required, as the API says.
  expect(await form.getByLabel('原因').getAttribute('required')).not.toBeNull();
  await form.getByLabel('原因').fill('专属客服记录写入失败，主管补录');
  await form.getByRole('button', { name: '提交' }).click();
  const record = await eventually(
    () => api.db.dedicatedAgents.findById(as.customer.sub).lean(),
    (r) => r !== null,
    'the dedicated agent recorded',
  );
  expect(record).toMatchObject({ agentId: as.agent.sub, complaintId: kept });
  expect(record?.events).toEqual([
    expect.objectContaining({
      agentId: as.agent.sub,
      by: { sub: as.supervisor.sub, role: 'supervisor' },
      reason: '专属客服记录写入失败，主管补录',
    }),
  ]);
  await supervisor.context().close();
}, 180_000);
