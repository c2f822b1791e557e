import { Duration } from 'luxon';
import type { Connection } from 'mongoose';
import { createOrdersClient } from '../clients/orders';
import { SlaPolicy } from '../shared/policy';
import type { MerchantMonth, RaisedFlag } from '../shared/suppliers';
import { caseModel } from '../store/cases';
import { activeVersion, policyVersionModel } from '../store/policyVersions';
import { merchantMonths, raiseFlags, supplierFlagModel } from '../store/supplierFlags';
import { toActivityError, type ProviderConfig } from '../clients/http';

/** What the supplier watch (workflows/supplierWatch.ts) does outside the workflow (docs/domain.md §11.6). */

export interface SupplierRound {
  /** The platform's time zone (the active policy's calendar), for the month of the summary. */
  timeZone: string;
  /** When service starts (`HH:MM`): the next round runs then. */
  serviceStart: string;
  raised: RaisedFlag[];
}

export function createSupplierWatchActivities({
  connection,
  orders,
}: {
  connection: Connection;
  orders: ProviderConfig;
}) {
  const orderService = createOrdersClient(orders);
  return {
    /**
     * Measures each merchant's return rate over the active policy's window ending `at` (the workflow's
     * clock) on the order service's figures, and flags those above the threshold; null while no
     * policy version is published yet.
     */
    async flagReturnRates({ at }: { at: string }): Promise<SupplierRound | null> {
      const active = await activeVersion(policyVersionModel(connection));
      if (!active) return null;
      // Versions stored before the tiering figures existed take the domain's defaults.
      const tiering = SlaPolicy.shape.supplierTiering.parse(active.policy.supplierTiering);
      const to = new Date(at);
      const from = new Date(to.getTime() - Duration.fromISO(tiering.window).toMillis());
      let figures;
      try {
        figures = await orderService.merchantFigures(from, to);
      } catch (err) {
        throw toActivityError(err, [], { from: from.toISOString(), to: at });
      }
      const timeZone = active.policy.calendar.timeZone;
      const raised = await raiseFlags(supplierFlagModel(connection), figures.merchants, {
        from,
        to,
        threshold: tiering.returnRateAbove,
        policyVersion: active._id,
        timeZone,
      });
      return { timeZone, serviceStart: active.policy.calendar.serviceHours.start, raised };
    },

    /** Each merchant's cases opened in `month` (in the time zone), most frequent problems first. */
    async merchantMonths({ month, timeZone }: { month: string; timeZone: string }): Promise<MerchantMonth[]> {
      return merchantMonths(caseModel(connection), month, timeZone);
    },
  };
}

export type SupplierWatchActivities = ReturnType<typeof createSupplierWatchActivities>;
