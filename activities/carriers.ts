import { ExpediteReceipt, WaybillTrail } from '../shared/providers';
import { createHttpClient, ProviderRejected, toActivityError, type ProviderConfig } from '../clients/http';

/** Carrier tracking (docs/domain.md §6.1): was the parcel delivered, when, signed by whom, or lost. */

export interface TrackWaybillInput {
  carrier: string;
  waybillNo: string;
  /** Only for errors and logs. */
  complaintId?: string;
}

export interface RequestExpediteInput {
  carrier: string;
  waybillNo: string;
  complaintId: string;
  reason: string;
  /** Derived by the workflow from the case and waybill, so a retried attempt asks once. */
  idempotencyKey: string;
}

export function createCarrierActivities(cfg: ProviderConfig) {
  const http = createHttpClient({ timeoutMs: 5_000, ...cfg, name: 'carriers' });

  return {
    /** A waybill the carrier does not know is an answer (`unknown`), not a failure: the agent decides what it means. */
    trackWaybill: async ({ carrier, waybillNo, complaintId }: TrackWaybillInput): Promise<WaybillTrail> => {
      try {
        return await http.get(
          `/carriers/${encodeURIComponent(carrier)}/waybills/${encodeURIComponent(waybillNo)}`,
          WaybillTrail,
          {
            complaintId,
          },
        );
      } catch (err) {
        if (err instanceof ProviderRejected && err.status === 404)
          return { carrier, waybillNo, status: 'unknown', events: [] };
        throw toActivityError(err, [], { complaintId, carrier, waybillNo });
      }
    },

    /** The after-sales regulation's step on a delivery delay: ask the carrier to speed the parcel up. */
    requestExpedite: async ({
      carrier,
      waybillNo,
      complaintId,
      reason,
      idempotencyKey,
    }: RequestExpediteInput): Promise<{ requestId: string }> => {
      try {
        const receipt = await http.post(
          `/carriers/${encodeURIComponent(carrier)}/waybills/${encodeURIComponent(waybillNo)}/expedite`,
          { complaintId, reason },
          ExpediteReceipt,
          { complaintId, idempotencyKey },
        );
        return { requestId: receipt.requestId };
      } catch (err) {
        throw toActivityError(err, [], { complaintId, carrier, waybillNo, idempotencyKey });
      }
    },
  };
}

export type CarrierActivities = ReturnType<typeof createCarrierActivities>;
