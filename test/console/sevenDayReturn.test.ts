import { randomUUID } from 'node:crypto';
import { complaintWorkflowId } from '../../shared/identity';
import { callers, openBody, party } from '../api/support';
import { eventually } from '../support/poll';
import { signIn, useConsole } from './browser';

/**
 * docs/domain.md §7.8 in the console: the order service says when the goods were signed for and
 * whether the item qualifies for the 7-day no-reason return (the label its product page shows). The
 * agent reads both on the case page: the label beside the delivery for goods that qualify, none for
 * goods that do not (custom-made, perishable, opened digital goods). Beside it, who signed for the
 * parcel as its carrier's trail says (docs/domain.md §6.1: "delivered? when? signed by whom?").
 */

const { api, world, call } = useConsole({ worker: true });

const DAY = 86_400_000;
const LABEL = '支持 7 天无理由退货';

/** 3 days ago to the minute, as Shanghai's wall clock reads it: the ISO-8601 a carrier gives, and the console's MM/DD HH:mm. */
function threeDaysAgo() {
  const wall = new Date(Date.now() - 3 * DAY + 8 * 3_600_000).toISOString();
  const [, month, day, hour, minute] = /^\d{4}-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(wall)!;
  return { iso: `${wall.slice(0, 16)}:00+08:00`, shown: `${month}/${day} ${hour}:${minute}` };
}

const delivered = threeDaysAgo();

/** The carrier's trail of the qualifying case's parcel: the building's guard signed for it. */
const TRAIL = { carrier: 'SF', signedBy: '门卫代收' };

/**
 * A case on an order signed for 3 days ago, its item qualifying or not; opened by its customer and taken by the agent.
 * With `waybillNo`, the order names its parcel and the carrier's trail says who signed for it.
 */
async function deliveredCase(sevenDayReturn: boolean, waybillNo?: string) {
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  api.sandbox.store.putOrder({
    orderId: p.orderId,
    customerId: p.customerId,
    merchantId: p.merchantId,
    amountPaidFen: 12_900,
    items: [{ sku: p.sku, quantity: 1, priceFen: 12_900, sevenDayReturn }],
    paidAt: '2026-11-01T10:00:00+08:00',
    deliveredAt: delivered.iso,
    ...(waybillNo && { carrier: TRAIL.carrier, waybillNo }),
  });
  if (waybillNo)
    api.sandbox.store.putWaybill({
      carrier: TRAIL.carrier,
      waybillNo,
      status: 'delivered',
      events: [
        { at: '2026-11-01T18:00:00+08:00', status: 'picked_up', location: 'Shenzhen' },
        { at: delivered.iso, status: 'delivered', location: 'Shanghai Xuhui', note: 'signed by the guard' },
      ],
      signedBy: TRAIL.signedBy,
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

/**
 * The case page's delivery facts as the agent reads them, signed in afresh (no other case's page left to read):
 * 签收时间 from the order service, 签收人 from the carrier's trail (null: the page shows no signer).
 */
async function deliveryFacts(c: { id: string; as: ReturnType<typeof callers> }) {
  const agent = await signIn(world, 'agent', c.as.agent.sub);
  await agent.goto(`${world.base}/console/#/case/${encodeURIComponent(c.id)}`);
  const fact = (label: string) =>
    agent.locator('dl.facts dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
  await fact('签收时间').waitFor();
  const facts = {
    delivered: await fact('签收时间').innerText(),
    signer: (await fact('签收人').count()) ? await fact('签收人').innerText() : null,
  };
  await agent.context().close();
  return facts;
}

it('the case page labels goods that qualify for the 7-day no-reason return beside their delivery, and no others', async () => {
  const qualifying = await deliveredCase(true);
  const custom = await deliveredCase(false);
  expect((await deliveryFacts(qualifying)).delivered).toContain(LABEL);
  const notQualifying = (await deliveryFacts(custom)).delivered;
  expect(notQualifying).not.toContain(LABEL);
  expect(notQualifying).not.toBe('');
}, 180_000);

it("the case page names who signed for the parcel and when, as its carrier's trail says; none for an order without a parcel", async () => {
  const waybillNo = `SF${randomUUID().replace(/\D/g, '').slice(0, 10)}`;
  const withParcel = await deliveredCase(true, waybillNo);
  const withoutParcel = await deliveredCase(true);
  expect((await deliveryFacts(withParcel)).signer).toBe(`门卫代收（${delivered.shown} 签收） · SF ${waybillNo}`);
  expect((await deliveryFacts(withoutParcel)).signer).toBeNull();
}, 180_000);
