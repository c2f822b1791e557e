import { SlaPolicy } from '../../shared/policy';
import { activeVersion, createDraft, publishVersion } from '../../store/policyVersions';
import { callers, openBody, party, putOrder } from '../api/support';
import { complaintWorkflowId } from '../../shared/identity';
import { eventually } from '../support/poll';
import { signIn, useConsole } from './browser';

/**
 * The case page's 延长调查 names the investigation's working days of the policy version the case opened
 * with, not figures written into the console: a case opened on the default policy reads 3→5 (docs/domain.md
 * §3's table), one opened after operations published 4→6 reads 4→6, and the first still reads 3→5.
 */

const { api, world, call } = useConsole({ worker: true });
const ops = { sub: 'ops-1', role: 'ops_manager' as const };

/** A case opened by its customer, taken and answered by the agent: the investigation runs, not yet extended. */
async function investigating() {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  putOrder(api.sandbox, p);
  expect((await call(as.customer, 'POST', '/v1/complaints', openBody(p))).status).toBe(201);
  const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
  await eventually(
    () => call(as.agent, 'POST', `/v1/complaints/${id}/assign`, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  expect(
    (await call(as.agent, 'POST', `/v1/complaints/${id}/first-response`, { message: '您好，我们正在核实。' })).status,
  ).toBe(200);
  return { id, agent: as.agent.sub };
}

/** The heading of the case page's extension form, as the owning agent reads it. */
async function extensionHeading(c: { id: string; agent: string }): Promise<string> {
  const page = await signIn(world, 'agent', c.agent);
  await page.goto(`${world.base}/console/#/case/${encodeURIComponent(c.id)}`);
  const heading = page.locator('form[data-action="investigation/extend"] h3');
  await heading.waitFor();
  const text = await heading.innerText();
  await page.context().close();
  return text;
}

it("labels the extension with the working days of the case's own policy version", async () => {
  const onDefaults = await investigating();

  const draft = await createDraft(api.db.policyVersions, {
    policy: SlaPolicy.parse({ investigation: { workingDays: 4, extendedWorkingDays: 6 } }),
    reason: 'investigations take a day longer',
    by: ops,
    active: (await activeVersion(api.db.policyVersions))!,
  });
  const published = await publishVersion(api.db.policyVersions, draft._id, {
    by: ops,
    reason: 'investigations take a day longer',
    rolloutWorkflowId: `rollout-${draft._id}`,
  });
  if (published.outcome !== 'published') throw new Error(`not published: ${published.outcome}`);
  // As a publish through this API would: new cases open on it at once.
  api.policies.adopt(published.version);
  const onLonger = await investigating();

  expect(await extensionHeading(onDefaults)).toBe('延长调查（3→5 个工作日）');
  expect(await extensionHeading(onLonger)).toBe('延长调查（4→6 个工作日）');
}, 180_000);
