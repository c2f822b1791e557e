import { WorkflowNotFoundError } from '@temporalio/common';
import express, { Router } from 'express';
import { z } from 'zod';
import { carrierSecret } from '../../config';
import { carrierEventSignal } from '../../shared/messages';
import { CarrierEventV1 } from '../../shared/providers';
import { forgetCarrierEvent, recordCarrierEvent } from '../../store/carrierEvents';
import { openCasesOnWaybill } from '../../store/cases';
import { CARRIER_HEADER, SIGNATURE_HEADER, verifyCarrierSignature } from '../../clients/carrierSignature';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';

const CARRIER_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** The answer to an event received: how many open cases it reached, never which (case ids name customers). */
export const CarrierEventAcceptedV1 = z.object({ accepted: z.literal(true), cases: z.number().int().min(0) });

/**
 * `POST /v1/carrier-events`: carriers push what happens to a parcel (docs/domain.md §6.1). Not a bearer-token
 * route: a carrier signs each body with its own secret (clients/carrierSignature.ts). An event reaches
 * every open case on that carrier's waybill, once; the answer says how many, never which (case ids
 * name customers).
 */
export function carrierEventRoutes(deps: AppDeps): Router {
  const router = Router();
  // The signature covers the exact bytes sent, so the body is read raw and parsed after the check.
  router.post('/', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    const carrier = req.get(CARRIER_HEADER) ?? '';
    const secret = CARRIER_ID.test(carrier) ? carrierSecret(deps.config, carrier) : undefined;
    if (!secret)
      throw new ApiError('unauthenticated', `${CARRIER_HEADER} must name a carrier this API has a secret for`);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifyCarrierSignature(secret, req.get(SIGNATURE_HEADER), body);
    if (!verdict.ok) throw new ApiError('unauthenticated', verdict.reason);

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ApiError('invalid_request', 'the body must be one JSON carrier event', [
        { path: '(root)', message: 'not JSON' },
      ]);
    }
    const event = CarrierEventV1.parse(json);
    const record = { carrier, eventId: event.eventId, waybillNo: event.waybillNo };
    if (!(await recordCarrierEvent(deps.db.carrierEvents, record)))
      throw new ApiError('replayed', `event ${event.eventId} of ${carrier} was already received`);
    try {
      const cases = await openCasesOnWaybill(deps.db.cases, carrier, event.waybillNo);
      const signal = { ...event, carrier };
      const reached = await Promise.all(
        cases.map(async (id) => {
          try {
            await deps.temporal.workflow.getHandle(id).signal(carrierEventSignal, signal);
            return true;
          } catch (err) {
            // A case that closed since the projection was written has nothing left to do with the parcel.
            if (err instanceof WorkflowNotFoundError) return false;
            throw err;
          }
        }),
      );
      req.log.info(
        {
          carrier,
          eventId: event.eventId,
          waybillNo: event.waybillNo,
          status: event.status,
          cases: reached.filter(Boolean).length,
        },
        'carrier event routed',
      );
      res.status(202).json(CarrierEventAcceptedV1.parse({ accepted: true, cases: reached.filter(Boolean).length }));
    } catch (err) {
      // Not routed: the carrier's retry must not be refused as a replay.
      await forgetCarrierEvent(deps.db.carrierEvents, record);
      throw err;
    }
  });
  return router;
}
