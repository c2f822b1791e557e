import {
  ActivityFailure,
  continueAsNew,
  defineQuery,
  metricMeter,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { MetricCounter } from '@temporalio/common';
import type { DoctorActivities, StuckWorkflow } from '../activities/doctor';
import type { NotificationActivities } from '../activities/notifications';

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

  for (; round < ROUNDS_PER_RUN; round++) {
    const stuck = await doctor.findStuckCases({
      minAttempts: input.minAttempts,
      scanAll: input.scanAll,
      exceptWorkflowId: self,
      scope: input.scope,
    });
    for (const s of stuck) await treat(s, resets, round, input.maxResets, meters.resets);
    for (const [id, r] of resets) if (round - r.seenRound > FORGET_AFTER_ROUNDS) resets.delete(id);
    ({ unmendable } = await doctor.clearRecovered({ stillStuck: stuck.map((s) => s.workflowId) }));
    meters.unmendable.set(unmendable);
    await sleep(input.everyMs);
  }
  await continueAsNew<typeof caseDoctorWorkflow>({ ...input, resets: [...resets] });
}

async function treat(
  s: StuckWorkflow,
  resets: Map<string, { count: number; seenRound: number }>,
  round: number,
  maxResets: number,
  mended: MetricCounter,
): Promise<void> {
  const count = resets.get(s.workflowId)?.count ?? 0;
  const result =
    count >= maxResets
      ? { outcome: 'unmendable' as const, reason: `still stuck after ${count} reset(s): ${s.failure}` }
      : await doctor.mendCase({ ...s, tries: count, reason: 'case doctor: workflow task kept failing' });
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

async function alert(workflowId: string, event: string, text: string): Promise<void> {
  try {
    await alerts.notifyStaff({ complaintId: workflowId, recipient: 'ops_manager', event, text });
  } catch (err) {
    // The record in stuck_cases stands and the metric counts it; a lost SMS must not stop the doctor.
    if (!(err instanceof ActivityFailure)) throw err;
  }
}
