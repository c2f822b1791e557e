import { complaintWorkflowId } from '../../shared/identity';
import { callers, openBody, party } from '../api/support';
import { eventually } from '../support/poll';
import { signIn, useConsole } from './browser';

/**
 * docs/domain.md §7.8 in the console: the order service says when the goods were signed for and
 * whether the item qualifies for the 7-day no-reason return (the label its product page shows). The
 * agent reads both on the case page: the label beside the delivery for goods that qualify, none for
 * goods that do not (custom-made, perishable, opened digital goods).
 */

const { api, world, call } = useConsole({ worker: true });

const DAY = 86_400_000;
const LABEL = '支持 7 天无理由退货';

/** A case on an order signed for 3 days ago, its item qualifying or not; opened by its customer and taken by the agent. */
async function deliveredCase(sevenDayReturn: boolean) {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  api.sandbox.store.putOrder({
    orderId: p.orderId,
    customerId: p.customerId,
    merchantId: p.merchantId,
    amountPaidFen: 12_900,
    items: [{ sku: p.sku, quantity: 1, priceFen: 12_900, sevenDayReturn }],
    paidAt: '2026-11-01T10:00:00+08:00',
    deliveredAt: new Date(Date.now() - 3 * DAY).toISOString(),
  });
  const opened = await call(as.customer, 'POST', '/v1/complaints', openBody(p, { desiredOutcome: 'refund' }));
  expect(opened.status).toBe(201);
  const id = complaintWorkflowId(p.customerId, p.orderId, 'quality_defect');
  await eventually(
    () => call(as.agent, 'POST', `/v1/complaints/${id}/assign`, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  return { id, as };
}

/** The case page's delivery fact (签收时间), as the agent reads it, signed in afresh (no other case's page left to read). */
async function deliveryFact(c: { id: string; as: ReturnType<typeof callers> }): Promise<string> {
  const agent = await signIn(world, 'agent', c.as.agent.sub);
  await agent.goto(`${world.base}/console/#/case/${encodeURIComponent(c.id)}`);
  const dd = agent.locator('dl.facts dt', { hasText: '签收时间' }).locator('xpath=following-sibling::dd[1]');
  await dd.waitFor();
  const text = await dd.innerText();
  await agent.context().close();
  return text;
}

it('the case page labels goods that qualify for the 7-day no-reason return beside their delivery, and no others', async () => {
  const qualifying = await deliveredCase(true);
  const custom = await deliveredCase(false);
  expect(await deliveryFact(qualifying)).toContain(LABEL);
  const notQualifying = await deliveryFact(custom);
  expect(notQualifying).not.toContain(LABEL);
  expect(notQualifying).not.toBe('');
}, 180_000);
