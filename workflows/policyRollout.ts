import { proxyActivities, sleep } from '@temporalio/workflow';
import type { PolicyRolloutActivities, SignalRunningCasesResult } from '../activities/policyRollout';
import type { CalendarUpdateV1 } from '../shared/messages';

/**
 * Offers a newly published policy version's calendar to every running case (one run per version,
 * started by the API on publish). Only the calendar: each case keeps the windows it was promised and
 * moves its pending working-day deadlines to the new holidays and make-up days.
 *
 * Two passes. The first signals every case running now. API processes other than the one that
 * published may open cases with the previous version for a few seconds more (their policy cache),
 * and visibility lists a new case a moment late; the second pass, once that time is past, signals
 * the cases started since shortly before the publish.
 */
export interface PolicyRolloutInput {
  update: CalendarUpdateV1;
  /** When the version was published (ISO-8601). */
  publishedAt: string;
  /** How long other processes may still open cases with the previous version, and visibility lag behind. */
  settleMs: number;
  /** A visibility clause limiting the cases to this deployment's, e.g. `TaskQueue = 'complaints'`. */
  scope?: string;
}

export interface PolicyRolloutResult {
  policyVersion: number;
  passes: SignalRunningCasesResult[];
}

/** The second pass reaches back this far before the publish, for cases visibility had not listed yet. */
const LATE_LISTING_MS = 60_000;

const rollout = proxyActivities<PolicyRolloutActivities>({
  startToCloseTimeout: '1 hour',
  // A dead worker is found within the minute; the retry resumes after the last page heartbeated.
  heartbeatTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

export async function policyRolloutWorkflow(input: PolicyRolloutInput): Promise<PolicyRolloutResult> {
  const within = (clause?: string) => [input.scope, clause].filter(Boolean).join(' AND ') || undefined;
  const first = await rollout.signalRunningCases({ update: input.update, scope: within() });
  await sleep(input.settleMs);
  const since = new Date(Date.parse(input.publishedAt) - LATE_LISTING_MS).toISOString();
  const second = await rollout.signalRunningCases({ update: input.update, scope: within(`StartTime > '${since}'`) });
  return { policyVersion: input.update.policyVersion, passes: [first, second] };
}
