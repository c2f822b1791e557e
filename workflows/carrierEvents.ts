import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { CarrierActivities } from '../activities/carriers';
import { type CarrierEventSignalV1, carrierEventSignal } from '../shared/messages';
import { type Case, SYSTEM } from './case';
import { bestEffort, sendCustomer } from './messaging';

/**
 * Carrier events pushed through POST /v1/carrier-events (docs/domain.md §6.1). Each is a timeline fact and
 * moves the order's carrier status; a delivery delay asks the carrier to expedite (the
 * after-sales regulation's step) and tells the customer, once per waybill and case.
 */

const carriers = proxyActivities<Pick<CarrierActivities, 'requestExpedite'>>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 },
});

const DELAYS: readonly string[] = ['delayed', 'exception'];
const CARRIER = { sub: 'carrier', role: 'system' } as const;

export function registerCarrierEvents(c: Case): void {
  setHandler(carrierEventSignal, (e: CarrierEventSignalV1) => {
    if (c.view.order.waybillNo === e.waybillNo) c.view.investigation.carrierStatus = e.status;
    const { waybillNo, status, at, carrier, location, eventId } = e;
    c.audit(CARRIER, 'carrier_event', {
      waybillNo,
      status,
      at,
      ...(carrier ? { carrier } : {}),
      ...(location ? { location } : {}),
      ...(eventId ? { eventId } : {}),
    });
    if (c.features.expediteDelays && DELAYS.includes(status) && !c.closed) c.track(expediteAndTell(c, e));
  });
}

async function expediteAndTell(c: Case, e: CarrierEventSignalV1): Promise<void> {
  const carrier = e.carrier ?? c.view.order.carrier;
  const once = `expedite:${carrier ?? ''}:${e.waybillNo}`;
  if (!carrier || c.state.alertsSent.includes(once)) return;
  c.state.alertsSent.push(once);
  const detail = { carrier, waybillNo: e.waybillNo };
  const asked = await bestEffort(
    c,
    'carrier_expedite',
    () =>
      carriers.requestExpedite({
        carrier,
        waybillNo: e.waybillNo,
        complaintId: c.view.complaintId,
        reason: `complaint ${c.view.complaintId}: delivery ${e.status} at ${e.at}`,
        idempotencyKey: `${c.view.complaintId}:expedite:${carrier}:${e.waybillNo}`,
      }),
    {
      detail,
      alert: {
        to: c.view.owner ?? 'agent',
        text: `carrier ${carrier} could not be asked to expedite ${e.waybillNo}; ask them by phone`,
      },
    },
  );
  if (asked) c.audit(SYSTEM, 'carrier_expedite_requested', { ...detail, requestId: asked.requestId });
  await sendCustomer(c, 'delivery_delayed', {
    waybillNo: e.waybillNo,
    ...(e.expectedDeliveryAt ? { expectedDeliveryAt: e.expectedDeliveryAt } : {}),
  });
}
