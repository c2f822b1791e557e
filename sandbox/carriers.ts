import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { CARRIER_HEADER, SIGNATURE_HEADER, signCarrierEvent } from '../clients/carrierSignature';
import { DEV_CARRIER_SECRET } from '../config';
import { CarrierEventV1, ExpediteRequest, type ExpediteReceipt } from '../shared/providers';
import type { Faults } from './faults';
import { parse, requireApiKey, sendError } from './requests';

/**
 * The carrier's side beyond tracking (docs/domain.md §6.1): it takes expedite requests for delayed parcels,
 * and it pushes events to the API the way a carrier does, signed with its secret. Expedite
 * requests are kept in memory: a test or a demo reads them within one sandbox's life.
 */

const WaybillPath = z.object({ carrier: z.string().min(1).max(32), waybillNo: z.string().min(1).max(64) });
const ByWaybill = z.object({ waybillNo: z.string().min(1).optional(), complaintId: z.string().min(1).optional() });
const SendEvent = z.object({
  /** The API's carrier-events address, e.g. http://127.0.0.1:3000/v1/carrier-events. */
  url: z.url(),
  carrier: z.string().min(1).max(32),
  /** The carrier's secret; the embedded stack's default when left out. */
  secret: z.string().min(16).optional(),
  event: CarrierEventV1,
});

export function carrierRoutes(apiKey: string, faults: Faults): Router {
  const router = Router();
  const expedites: ExpediteReceipt[] = [];
  const byKey = new Map<string, ExpediteReceipt>();

  router.post('/carriers/:carrier/waybills/:waybillNo/expedite', requireApiKey(apiKey), (req, res) => {
    const { carrier, waybillNo } = parse(WaybillPath, req.params, 'params');
    const body = parse(ExpediteRequest, req.body, 'body');
    const fault = faults.take('carriers');
    if (fault === 'decline') return sendError(res, 422, 'declined', 'carriers declined (injected fault)');
    if (fault) return sendError(res, 503, 'unavailable', 'carriers is unavailable (injected fault)');
    const idempotencyKey = req.get('idempotency-key') || undefined;
    const seen = idempotencyKey ? byKey.get(idempotencyKey) : undefined;
    if (seen) return void res.status(200).json(seen);
    const receipt: ExpediteReceipt = {
      requestId: randomUUID(),
      carrier,
      waybillNo,
      ...body,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      at: new Date().toISOString(),
    };
    expedites.push(receipt);
    if (idempotencyKey) byKey.set(idempotencyKey, receipt);
    res.status(201).json(receipt);
  });

  router.get('/carriers/expedites', (req, res) => {
    const { waybillNo, complaintId } = parse(ByWaybill, req.query, 'query');
    res.json(
      expedites.filter(
        (e) => (!waybillNo || e.waybillNo === waybillNo) && (!complaintId || e.complaintId === complaintId),
      ),
    );
  });

  // A loopback dev tool like the other control routes: sends one event as the carrier would.
  router.post('/_carriers/events', async (req, res) => {
    const { url, carrier, secret, event } = parse(SendEvent, req.body, 'body');
    const body = JSON.stringify(event);
    try {
      const answer = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CARRIER_HEADER]: carrier,
          [SIGNATURE_HEADER]: signCarrierEvent(secret ?? DEV_CARRIER_SECRET, body),
        },
        body,
      });
      res.status(200).json({ status: answer.status, body: await answer.json() });
    } catch (err) {
      sendError(res, 502, 'unreachable', `${url} did not answer: ${(err as Error).message}`);
    }
  });

  return router;
}
