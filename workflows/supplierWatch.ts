import { ActivityFailure, continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { MerchantActivities } from '../activities/merchants';
import type { NotificationActivities } from '../activities/notifications';
import type { SupplierWatchActivities } from '../activities/supplierWatch';
import { flagAlertText, nextMorning, previousMonth, summaryText, type MerchantMonth } from '../shared/suppliers';

/**
 * The supplier watch: one long-running workflow (id `supplier-watch`, started by every worker process
 * unless it runs: workers/supplierWatch.ts) that once a day, at the start of service, measures each
 * merchant's return rate over the policy's window and flags those above its threshold for suspension
 * review, telling merchant operations the figures; and on the first round of a month sends each
 * merchant the summary of its previous month's most frequent problems (docs/domain.md §11.6).
 * Alerts are best effort: a notice that cannot be delivered is an alert to a person instead.
 */

export interface SupplierWatchInput {
  /** The last month whose summaries went out; absent on the first run, which sends the previous month's. */
  summarisedThrough?: string;
}

export const SUPPLIER_WATCH_ID = 'supplier-watch';

const DAYS_PER_RUN = 60;
const DAY_MS = 86_400_000;
/** Merchant notices in flight at once: a month may name thousands of merchants. */
const SUMMARY_BATCH = 20;

const store = proxyActivities<SupplierWatchActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute', maximumAttempts: 10 },
});
// A refusing portal or gateway must not hold up the round: few tries, then a person is told.
const notices = proxyActivities<
  Pick<NotificationActivities, 'notifyStaff'> & Pick<MerchantActivities, 'sendMerchantNotice'>
>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export async function supplierWatchWorkflow(input: SupplierWatchInput): Promise<void> {
  let summarised = input.summarisedThrough;
  for (let day = 0; day < DAYS_PER_RUN; day++) {
    const at = Date.now();
    const round = await attempt(() => store.flagReturnRates({ at: new Date(at).toISOString() }));
    if (round) {
      for (const flag of round.raised)
        await tellStaff(['merchant_ops', 'ops_manager'], 'supplier_flagged', flagAlertText(flag, round.timeZone));
      const month = previousMonth(at, round.timeZone);
      if ((summarised === undefined || month > summarised) && (await sendSummaries(month, round.timeZone)))
        summarised = month;
    }
    if (workflowInfo().continueAsNewSuggested) break;
    await sleep(
      round ? Math.max(60_000, nextMorning(Date.now(), round.timeZone, round.serviceStart) - Date.now()) : DAY_MS,
    );
  }
  await continueAsNew<typeof supplierWatchWorkflow>({ summarisedThrough: summarised });
}

/** null when the store or the order service stays down past the retries: tomorrow's round tries again. */
async function attempt<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ActivityFailure) return null;
    throw err;
  }
}

/** The first recipient whose notice goes out; none is an alert lost, and the flag still stands in the console. */
async function tellStaff(recipients: string[], event: string, text: string): Promise<boolean> {
  for (const recipient of recipients) {
    if ((await attempt(() => notices.notifyStaff({ complaintId: SUPPLIER_WATCH_ID, recipient, event, text }))) !== null)
      return true;
  }
  return false;
}

/** The month's summaries; false when the cases could not be read (the next round sends them). */
async function sendSummaries(month: string, timeZone: string): Promise<boolean> {
  const months = await attempt(() => store.merchantMonths({ month, timeZone }));
  if (months === null) return false;
  for (let i = 0; i < months.length; i += SUMMARY_BATCH)
    await Promise.all(months.slice(i, i + SUMMARY_BATCH).map(sendSummary));
  return true;
}

async function sendSummary(m: MerchantMonth): Promise<void> {
  const text = summaryText(m);
  const sent = await attempt(() =>
    notices.sendMerchantNotice({
      complaintId: SUPPLIER_WATCH_ID,
      merchantId: m.merchantId,
      kind: 'monthly_summary',
      text,
      idempotencyKey: `${SUPPLIER_WATCH_ID}:summary:${m.merchantId}:${m.month}`,
    }),
  );
  if (sent === null) {
    await tellStaff(
      ['merchant_ops', 'ops_manager'],
      'merchant_summary_undelivered',
      `商户 ${m.merchantId} 的 ${m.month} 月度汇总未能送达，请人工转交。The monthly summary to merchant ${m.merchantId} could not be delivered; forward it by hand: ${text}`.slice(
        0,
        2000,
      ),
    );
  }
}
