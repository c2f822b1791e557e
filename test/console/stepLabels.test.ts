import { SETUP_TIMEOUT_MS, signIn, useConsoleCase } from './browser';

/**
 * The console is Chinese first: every step a plan's execution shows (docs/domain.md §8: the goods sent
 * back, the merchant told and inspecting, a replacement shipped, a repair asked for) reads in Chinese
 * on the case page, none as the workflow's own name. The steps are those of a return-first refund and
 * an exchange, on a case kept in the store (read as a retained case), so the suite does not drive a
 * week of execution.
 */

const { world, as, keepClosed } = useConsoleCase({
  subType: 'quality_defect',
  description: '商品有质量问题，要求退货退款',
});

const STEPS = [
  { name: 'return_shipment', owner: 'customer', label: '顾客寄回商品' },
  { name: 'return_incoming', owner: 'merchant', label: '通知商家待收退货' },
  { name: 'return_inspection', owner: 'merchant', label: '商家验收退货' },
  { name: 'ship_replacement', owner: 'merchant', label: '通知商家发出换货' },
  { name: 'repair_request', owner: 'merchant', label: '通知商家维修' },
] as const;

let kept: string;

beforeAll(async () => {
  kept = await keepClosed(7, (_live, at) => ({
    proposal: { type: 'exchange', note: '退货后换货', proposedBy: as.agent.sub, at },
    steps: STEPS.map((s) => ({ name: s.name, status: 'done' as const, owner: s.owner, dueAt: at, updatedAt: at })),
  }));
}, SETUP_TIMEOUT_MS);

it('each execution step reads in Chinese, none by its workflow name', async () => {
  const agent = await signIn(world, 'agent', as.agent.sub);
  await agent.goto(`${world.base}/console/#/case/${encodeURIComponent(kept)}`);
  const steps = agent.locator('#steps');
  await steps.waitFor();
  const text = await steps.innerText();
  for (const s of STEPS) {
    expect(text).toContain(s.label);
    expect(text).not.toMatch(new RegExp(s.name.replace(/_/g, '[ _]')));
  }
  await agent.context().close();
}, 180_000);
