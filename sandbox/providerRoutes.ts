import { Router, type Response } from 'express';
import { z } from 'zod';
import { CouponRequest, MerchantNoticeRequest, RefundRequest, SmsRequest } from '../shared/providers';
import type { FaultService, Faults } from './faults';
import { idempotencyKey, parse, requireApiKey, sendError, type Stalls } from './requests';
import type { PaymentRequestRecord, SandboxStore } from './store';

/**
 * The routes our adapters call, answering the way the real payment gateway, SMS gateway,
 * carrier tracking, merchant portal, order service and customer directory do. Each wants the provider api key.
 */

const CouponPath = z.object({ couponId: z.string() });
const WaybillPath = z.object({ carrier: z.string(), waybillNo: z.string() });
const OrderPath = z.object({ orderId: z.string() });
const CustomerPath = z.object({ customerId: z.string() });
const Period = z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });

/** How long a `timeout` fault holds an answer: far past any adapter's deadline. */
const STALL_MS = 30_000;
/** A `hold` fault's answer waits for `POST /_faults/release`; this only bounds a test that never sends it. */
const HOLD_MS = 10 * 60_000;

export interface ProviderDeps {
  apiKey: string;
  store: SandboxStore;
  faults: Faults;
  stalls: Stalls;
}

export function providerRoutes({ apiKey, store, faults, stalls }: ProviderDeps): Router {
  const router = Router();
  const keyed = requireApiKey(apiKey);

  /**
   * Applies the fault armed for `service`, if it hits: `answered` when the fault took the request
   * over, `stall` when the request must be carried out and its answer then held back.
   */
  function injectFault(service: FaultService, res: Response): 'answered' | 'stall' | 'hold' | undefined {
    const mode = faults.take(service);
    if (mode === undefined) return undefined;
    if (mode === 'hold' && service === 'payments') return 'hold';
    if (mode === 'error') {
      sendError(res, 503, 'unavailable', `${service} is unavailable (injected fault)`);
      return 'answered';
    }
    if (mode === 'decline') {
      res
        .status(service === 'payments' ? 402 : 422)
        .json({ code: 'declined', message: `${service} declined (injected fault)` });
      return 'answered';
    }
    // A gateway that paid and then lost its answer is the case idempotency keys exist for.
    if (service === 'payments') return 'stall';
    stalls.hold(res, STALL_MS, () => sendError(res, 504, 'timeout', `${service} did not answer (injected fault)`));
    return 'answered';
  }

  function reply(res: Response, status: number, body: unknown, held: 'stall' | 'hold' | undefined): void {
    if (held) stalls.hold(res, held === 'hold' ? HOLD_MS : STALL_MS, () => void res.status(status).json(body));
    else res.status(status).json(body);
  }

  /** Every money-moving request goes into the log, a fault's answer included. */
  function payment(
    res: Response,
    entry: Omit<PaymentRequestRecord, 'at' | 'outcome'>,
    fault: ReturnType<typeof injectFault>,
  ) {
    if (fault === 'answered')
      store.logPaymentRequest({
        ...entry,
        outcome: res.statusCode === 503 ? 'unavailable' : 'refused',
        code: 'injected_fault',
      });
    return (outcome: PaymentRequestRecord['outcome'], code?: string) =>
      store.logPaymentRequest({ ...entry, outcome, ...(code ? { code } : {}) });
  }

  router.post('/payments/refunds', keyed, (req, res) => {
    const key = idempotencyKey(req);
    const body = parse(RefundRequest, req.body, 'body');
    const fault = injectFault('payments', res);
    const log = payment(
      res,
      {
        operation: 'refund',
        complaintId: body.complaintId,
        idempotencyKey: key,
        kind: body.kind,
        orderId: body.orderId,
        amountFen: body.amountFen,
      },
      fault,
    );
    if (fault === 'answered') return;
    const result = store.refund(key, body);
    log(
      result.outcome === 'created' ? 'accepted' : result.outcome,
      result.outcome === 'refused' ? result.code : undefined,
    );
    if (result.outcome === 'refused') reply(res, 422, { code: result.code, message: result.message }, fault);
    else reply(res, result.outcome === 'created' ? 201 : 200, result.refund, fault);
  });

  // What a gateway tells a merchant about one order's payment: the amount captured and how much of
  // it was refunded so far, over every refund request whatever its complaint or key. Payment faults
  // are for the calls that move money; a read taking them would use up a fault a test armed for one.
  router.get('/payments/orders/:orderId', keyed, (req, res) => {
    const { orderId } = parse(OrderPath, req.params, 'params');
    const order = store.getOrder(orderId);
    if (!order) return sendError(res, 404, 'unknown_order', `order ${orderId} is unknown`);
    res.json({ orderId, paidFen: order.amountPaidFen, refundedFen: store.refundedFen(orderId) });
  });

  router.post('/payments/coupons', keyed, (req, res) => {
    const key = idempotencyKey(req);
    const body = parse(CouponRequest, req.body, 'body');
    const fault = injectFault('payments', res);
    const log = payment(
      res,
      {
        operation: 'coupon',
        complaintId: body.complaintId,
        idempotencyKey: key,
        kind: 'coupon',
        amountFen: body.amountFen,
      },
      fault,
    );
    if (fault === 'answered') return;
    const { created, coupon } = store.issueCoupon(key, body);
    log(created ? 'accepted' : 'repeated');
    reply(res, created ? 201 : 200, coupon, fault);
  });

  router.delete('/payments/coupons/:couponId', keyed, (req, res) => {
    const { couponId } = parse(CouponPath, req.params, 'params');
    const fault = injectFault('payments', res);
    if (fault === 'answered') return;
    const coupon = store.revokeCoupon(couponId);
    if (!coupon) reply(res, 404, { code: 'unknown_coupon', message: `coupon ${couponId} is unknown` }, fault);
    else reply(res, 200, coupon, fault);
  });

  router.post('/sms/messages', keyed, (req, res) => {
    const key = req.get('idempotency-key') || undefined;
    const body = parse(SmsRequest, req.body, 'body');
    if (injectFault('sms', res)) return;
    const { created, message } = store.recordMessage(key, body);
    res.status(created ? 201 : 200).json(message);
  });

  router.get('/carriers/:carrier/waybills/:waybillNo', keyed, (req, res) => {
    const { carrier, waybillNo } = parse(WaybillPath, req.params, 'params');
    if (injectFault('carriers', res)) return;
    const trail = store.getWaybill(carrier, waybillNo);
    if (!trail) return sendError(res, 404, 'not_found', `waybill ${carrier}/${waybillNo} is unknown`);
    res.json(trail);
  });

  router.post('/merchants/notices', keyed, (req, res) => {
    const key = req.get('idempotency-key') || undefined;
    const body = parse(MerchantNoticeRequest, req.body, 'body');
    if (injectFault('merchants', res)) return;
    const { created, notice } = store.recordNotice(key, body);
    res.status(created ? 201 : 200).json(notice);
  });

  // The order service's figures per merchant over a period: what the supplier watch measures return rates on.
  router.get('/orders/figures/merchants', keyed, (req, res) => {
    const { from, to } = parse(Period, req.query, 'query');
    if (injectFault('orders', res)) return;
    res.json({ from, to, merchants: store.merchantFigures(new Date(from), new Date(to)) });
  });

  router.get('/orders/:orderId', keyed, (req, res) => {
    const { orderId } = parse(OrderPath, req.params, 'params');
    if (injectFault('orders', res)) return;
    const order = store.getOrder(orderId);
    if (!order) return sendError(res, 404, 'not_found', `order ${orderId} is unknown`);
    res.json(order);
  });

  router.get('/customers/:customerId', keyed, (req, res) => {
    const { customerId } = parse(CustomerPath, req.params, 'params');
    if (injectFault('customers', res)) return;
    res.json(store.getCustomer(customerId));
  });

  return router;
}
