import { WaybillTrail } from '../shared/providers';
import { createHttpClient, ProviderRejected, toActivityError, type ProviderConfig } from './http';

/** Carrier tracking (spec §4): was the parcel delivered, when, signed by whom, or lost. */

export interface TrackWaybillInput {
  carrier: string;
  waybillNo: string;
  /** Only for errors and logs. */
  complaintId?: string;
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
  };
}

export type CarrierActivities = ReturnType<typeof createCarrierActivities>;
