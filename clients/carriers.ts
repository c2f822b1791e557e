import { createHttpClient, ProviderRejected, type ProviderConfig } from './http';
import { WaybillTrail } from '../shared/providers';

/** Who signed for a parcel and when, as its carrier's trail says (docs/domain.md §4: "signed by whom?"). */
export interface SignedFor {
  signedBy: string | null;
  /** The trail's `delivered` event; null when the trail names none. */
  deliveredAt: string | null;
}

/**
 * The carriers' tracking, read by the API for the customer's own record and staff's read of a case.
 * The case keeps only the parcel's status (workflows record `carrierStatus`), not the signer, so the
 * API asks the carrier.
 * Not an activity: a carrier that does not answer leaves that part of the record empty, nothing fails.
 */
export function createCarriersClient(cfg: ProviderConfig) {
  const http = createHttpClient({ timeoutMs: 3_000, ...cfg, name: 'carriers' });
  return {
    /** Null for a waybill the carrier does not know. */
    signedFor: async (carrier: string, waybillNo: string): Promise<SignedFor | null> => {
      try {
        const trail = await http.get(
          `/carriers/${encodeURIComponent(carrier)}/waybills/${encodeURIComponent(waybillNo)}`,
          WaybillTrail,
        );
        const delivered = trail.events.filter((e) => e.status === 'delivered').at(-1);
        return { signedBy: trail.signedBy ?? null, deliveredAt: delivered?.at ?? null };
      } catch (err) {
        if (err instanceof ProviderRejected && err.status === 404) return null;
        throw err;
      }
    },
    close: () => http.close(),
  };
}

export type CarriersClient = ReturnType<typeof createCarriersClient>;
