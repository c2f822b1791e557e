import {
  ActivityFailure,
  continueAsNew,
  defineQuery,
  metricMeter,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { MetricCounter } from '@temporalio/common';
import type { DoctorActivities, StuckWorkflow } from '../activities/doctor';
import type { NotificationActivities } from '../activities/notifications';
import type { ErrorCode } from '../shared/errors';
import { PATCHES } from './patches';

/**
 * The case doctor: one long-running workflow (started by every worker process unless it runs, id `case-doctor`: workers/doctor.ts) that every
 * round finds workflows whose workflow task keeps failing, resets each to the task before the
 * failure with its signals and updates reapplied, tells the case's timeline (a complaint case) and
 * ops, and lists what it cannot mend for a person. Whatever the SDK does, a case does not stay stuck
 * unseen.
 */

export interface CaseDoctorInput {
  /** Between rounds. */
  everyMs: number;
  /** A workflow task failing this many attempts in a row is stuck. */
  minAttempts: number;
  /** Resets of one workflow before the doctor gives it to a person. */
  maxResets: number;
  scanAll: boolean;
  /** A visibility clause limiting which workflows the doctor looks at; the whole namespace without it. */
  scope?: string;
  /** Resets made per workflow, and the round it was last seen stuck, carried over continue-as-new. */
  resets?: Array<[string, { count: number; seenRound: number }]>;
}

/** A workflow not seen stuck for this many rounds starts its count of resets afresh. */
const FORGET_AFTER_ROUNDS = 30;
const ROUNDS_PER_RUN = 200;

const doctor = proxyActivities<DoctorActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '30 seconds' },
});
// Waits while the mended case takes its results again, until it can take the updates the reset held.
const redelivery = proxyActivities<Pick<DoctorActivities, 'redeliverUpdates'>>({
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});
/** Refusals that say "not now" (shared/errors.ts): a held update is sent again until the case takes it. */
const NOT_YET: ErrorCode[] = ['unavailable', 'wrong_stage'];
const REDELIVER_WITHIN_MS = 10 * 60_000;
// Ops hear of it by SMS; a refusing gateway must not stop the doctor's round, so few tries.
const alerts = proxyActivities<Pick<NotificationActivities, 'notifyStaff'>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

export const doctorStateQuery = defineQuery<{
  round: number;
  resets: Array<[string, { count: number; seenRound: number }]>;
  unmendable: number;
}>('doctorState');

export async function caseDoctorWorkflow(input: CaseDoctorInput): Promise<void> {
  const resets = new Map(input.resets ?? []);
  let unmendable = 0;
  let round = 0;
  setHandler(doctorStateQuery, () => ({ round, resets: [...resets], unmendable }));
  const self = workflowInfo().workflowId;
  // Made here, not at module load: the meter exists only inside a workflow.
  const meters = {
    resets: metricMeter.createCounter(
      'case_doctor_resets',
      'resets',
      'stuck workflows the case doctor reset, by workflow type',
    ),
    unmendable: metricMeter.createGauge(
      'case_doctor_unmendable',
      'int',
      'cases',
      'stuck workflows the case doctor could not mend (GET /v1/ops/stuck-cases)',
    ),
  };

  // Redeliveries run beside the rounds (one case's wait must not hold another's repair); the run ends after them.
  const redeliveries: Array<Promise<void>> = [];
  for (; round < ROUNDS_PER_RUN; round++) {
    const stuck = await doctor.findStuckCases({
      minAttempts: input.minAttempts,
      scanAll: input.scanAll,
      exceptWorkflowId: self,
      scope: input.scope,
    });
    for (const s of stuck) await treat(s, resets, round, input.maxResets, meters.resets, redeliveries);
    for (const [id, r] of resets) if (round - r.seenRound > FORGET_AFTER_ROUNDS) resets.delete(id);
    ({ unmendable } = await doctor.clearRecovered({ stillStuck: stuck.map((s) => s.workflowId) }));
    meters.unmendable.set(unmendable);
    await sleep(input.everyMs);
  }
  await Promise.all(redeliveries);
  await continueAsNew<typeof caseDoctorWorkflow>({ ...input, resets: [...resets] });
}

async function treat(
  s: StuckWorkflow,
  resets: Map<string, { count: number; seenRound: number }>,
  round: number,
  maxResets: number,
  mended: MetricCounter,
  redeliveries: Array<Promise<void>>,
): Promise<void> {
  const count = resets.get(s.workflowId)?.count ?? 0;
  // docs/operations.md: a reapplied update is validated against the state reset to, and refused if
  // the case reached the state it needs only later; doctors that began before hold them and redeliver.
  const holdUpdates = count < maxResets && patched(PATCHES.doctorRedeliversUpdates.id);
  const result =
    count >= maxResets
      ? { outcome: 'unmendable' as const, reason: `still stuck after ${count} reset(s): ${s.failure}` }
      : await doctor.mendCase({ ...s, tries: count, reason: 'case doctor: workflow task kept failing', holdUpdates });
  if (result.outcome === 'not_stuck') return;
  if (result.outcome === 'reset') {
    resets.set(s.workflowId, { count: count + 1, seenRound: round });
    mended.add(1, { workflowType: s.workflowType });
    await doctor.recordStuck({
      stuck: s,
      status: 'mended',
      resets: count + 1,
      resetRunId: result.runId,
      resetEventId: result.resetEventId,
    });
    const repair = {
      fromRunId: s.runId,
      toRunId: result.runId,
      resetEventId: result.resetEventId,
      failure: s.failure.slice(0, 500),
    };
    // The case's timeline says what happened to it; a workflow without the handler drops the signal.
    if (s.workflowType === 'complaintWorkflow')
      await doctor.signalRepaired({ workflowId: s.workflowId, runId: result.runId, repair });
    await alert(
      s.workflowId,
      'case_repaired',
      `Case ${s.workflowId} was stuck (${s.failure.slice(0, 200)}); the case doctor reset it to event ${result.resetEventId} (reset ${count + 1}).`,
    );
    if (holdUpdates) redeliveries.push(redeliver(s, result.resetEventId));
    return;
  }
  resets.set(s.workflowId, { count, seenRound: round });
  const { news } = await doctor.recordStuck({ stuck: s, status: 'unmendable', resets: count, reason: result.reason });
  if (news)
    await alert(
      s.workflowId,
      'case_stuck',
      `Case ${s.workflowId} is stuck and the case doctor cannot mend it: ${result.reason.slice(0, 300)}. See GET /v1/ops/stuck-cases.`,
    );
}

/** Sends the reset run the updates held from it; one that cannot be delivered is a person's to redo. */
async function redeliver(s: StuckWorkflow, resetEventId: number): Promise<void> {
  const { lost } = await redelivery.redeliverUpdates({
    workflowId: s.workflowId,
    fromRunId: s.runId,
    resetEventId,
    notYet: NOT_YET,
    withinMs: REDELIVER_WITHIN_MS,
  });
  if (lost.length)
    await alert(
      s.workflowId,
      'actions_lost',
      `Case ${s.workflowId} was reset by the case doctor and ${lost.length} acknowledged action(s) could not be applied again; redo them by hand: ${lost
        .map((l) => `${l.name} (update ${l.updateId}): ${l.reason}`)
        .join('; ')
        .slice(0, 600)}`,
    );
}

async function alert(workflowId: string, event: string, text: string): Promise<void> {
  try {
    await alerts.notifyStaff({ complaintId: workflowId, recipient: 'ops_manager', event, text });
  } catch (err) {
    // The record in stuck_cases stands and the metric counts it; a lost SMS must not stop the doctor.
    if (!(err instanceof ActivityFailure)) throw err;
  }
}
