import { Router } from 'express';
import { z } from 'zod';
import { CustomerRecord, OrderRecord, WaybillRecord } from '../shared/providers';
import { FaultRequest, type Faults } from './faults';
import { parse, type Stalls } from './requests';
import type { SandboxStore } from './store';

/**
 * The routes a test or a developer uses to look inside the sandbox and to set it up: what was
 * received, which orders, customers and waybills exist, which faults are armed. A loopback dev tool, so no key.
 */

const optional = z.string().min(1).optional();
const ByComplaint = z.object({ complaintId: optional });
const ByRecipient = z.object({ to: optional, complaintId: optional });
const ByMerchant = z.object({ merchantId: optional, complaintId: optional });

export function controlRoutes(store: SandboxStore, faults: Faults, stalls: Stalls): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  router.get('/sms/messages', (req, res) => {
    res.json(store.messages(parse(ByRecipient, req.query, 'query')));
  });

  router.get('/payments/refunds', (req, res) => {
    res.json(store.refunds(parse(ByComplaint, req.query, 'query')));
  });

  // Every refund and coupon request with its key, amount, time and outcome (accepted, repeated, refused).
  router.get('/payments/requests', (req, res) => {
    res.json(store.paymentRequests(parse(ByComplaint, req.query, 'query')));
  });

  router.get('/payments/coupons', (req, res) => {
    res.json(store.coupons(parse(ByComplaint, req.query, 'query')));
  });

  router.get('/merchants/notices', (req, res) => {
    res.json(store.notices(parse(ByMerchant, req.query, 'query')));
  });

  router.put('/orders/:orderId', (req, res) => {
    const order = parse(OrderRecord, req.body, 'body');
    res.json(store.putOrder({ orderId: req.params.orderId, ...order }));
  });

  router.put('/customers/:customerId', (req, res) => {
    const record = parse(CustomerRecord, req.body, 'body');
    res.json(store.putCustomer({ customerId: req.params.customerId, ...record }));
  });

  router.put('/carriers/:carrier/waybills/:waybillNo', (req, res) => {
    const record = parse(WaybillRecord, req.body, 'body');
    res.json(store.putWaybill({ carrier: req.params.carrier, waybillNo: req.params.waybillNo, ...record }));
  });

  router.get('/_faults', (_req, res) => {
    res.json(faults.list());
  });

  router.post('/_faults', (req, res) => {
    res.status(201).json(faults.arm(parse(FaultRequest, req.body, 'body')));
  });

  // Answers a `timeout` or `hold` fault is holding, their callers still waiting.
  router.get('/_faults/held', (_req, res) => {
    res.json({ held: stalls.size });
  });

  router.post('/_faults/release', (_req, res) => {
    res.json({ released: stalls.answerAll() });
  });

  router.delete('/_faults', (_req, res) => {
    res.json({ cleared: faults.clear() });
  });

  return router;
}
