import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { type CaseRepairV1, caseRepairedSignal } from '../shared/messages';
import { stuckCaseModel } from '../store/stuckCases';

/**
 * The case doctor's hands (workflows/doctor.ts decides): find workflows whose workflow task keeps
 * failing, reset one to the workflow task before the one that broke it with its signals and updates
 * reapplied, and keep the record ops read (`stuck_cases`, `GET /v1/ops/stuck-cases`). Why: the SDK
 * ordering bug (README) leaves a case whose history no longer replays, and such a case would wait
 * forever for a person who does not know it exists.
 */

const EventType = temporal.api.enums.v1.EventType;

/**
 * What Temporal's visibility marks on a workflow whose workflow tasks keep failing. Tasks that keep
 * timing out are left alone: a restarting server or a dead worker times them out, and the case
 * runs on once a worker takes them; a reset would only re-run its work and re-validate its updates.
 */
export const PROBLEMS_QUERY =
  'ExecutionStatus="Running" AND TemporalReportedProblems IN ("category=WorkflowTaskFailed")';

export interface StuckWorkflow {
  workflowId: string;
  runId: string;
  workflowType: string;
  /** The failing workflow task's attempt. */
  attempt: number;
  /** The first failure of the failing task, as history records it. */
  failure: string;
}

export interface FindStuckInput {
  /** A task that failed this often in a row is stuck; fewer may be a worker that died mid-task. */
  minAttempts: number;
  /** Describe every running workflow instead of trusting visibility alone (a small namespace, or a server without TemporalReportedProblems). */
  scanAll: boolean;
  /** Never itself. */
  exceptWorkflowId: string;
  /** A visibility clause the candidates must also match (e.g. `TaskQueue="complaints"`); every workflow of the namespace without it. */
  scope?: string;
}

export type MendResult =
  | { outcome: 'reset'; runId: string; resetEventId: number; failure: string }
  | { outcome: 'not_stuck' }
  | { outcome: 'unmendable'; reason: string };

export interface MendInput extends StuckWorkflow {
  /** Resets already made of this workflow: each try goes one workflow task further back. */
  tries: number;
  reason: string;
}

export interface DoctorDeps {
  client: Client;
  mongo: Connection;
  logger?: Logger;
}

export function createDoctorActivities({ client, mongo, logger }: DoctorDeps) {
  const stuck = stuckCaseModel(mongo);
  const service = client.workflowService;
  const namespace = client.options.namespace;

  async function list(query: string): Promise<Array<{ workflowId: string; runId: string; type: string }>> {
    const out: Array<{ workflowId: string; runId: string; type: string }> = [];
    for await (const w of client.workflow.list({ query }))
      out.push({ workflowId: w.workflowId, runId: w.runId, type: w.type });
    return out;
  }

  /** The failing task's attempt, or 0 when the workflow has no failing task now. */
  async function failingAttempt(workflowId: string, runId: string): Promise<number> {
    const { raw } = await client.workflow.getHandle(workflowId, runId).describe();
    const task = raw.pendingWorkflowTask;
    return task ? (task.attempt ?? 1) : 0;
  }

  async function historyOf(workflowId: string, runId: string) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    return history.events ?? [];
  }

  /**
   * The failure of the workflow task failing now, if it is failing (not timing out): history keeps
   * the first attempt of a repeating failure, after the last completed task.
   */
  function currentFailure(events: temporal.api.history.v1.IHistoryEvent[]): string | undefined {
    const since = events.map((e) => e.eventType).lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    const failed = events
      .slice(since + 1)
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
      .at(-1);
    return failed
      ? (failed.workflowTaskFailedEventAttributes?.failure?.message ?? 'workflow task failed without a message')
      : undefined;
  }

  async function findStuckCases({
    minAttempts,
    scanAll,
    exceptWorkflowId,
    scope,
  }: FindStuckInput): Promise<StuckWorkflow[]> {
    const within = (q: string) => (scope ? `${q} AND ${scope}` : q);
    let candidates: Awaited<ReturnType<typeof list>>;
    try {
      candidates = await list(within(scanAll ? 'ExecutionStatus="Running"' : PROBLEMS_QUERY));
    } catch (err) {
      // A server without the TemporalReportedProblems attribute refuses the query: describe them all.
      logger?.warn(
        { err: (err as Error).message },
        'case doctor: visibility refused the problems query; scanning every running workflow',
      );
      candidates = await list(within('ExecutionStatus="Running"'));
    }
    const found: StuckWorkflow[] = [];
    for (const c of candidates) {
      if (c.workflowId === exceptWorkflowId) continue;
      const attempt = await failingAttempt(c.workflowId, c.runId).catch(() => 0);
      if (attempt < minAttempts) continue;
      const failure = currentFailure(await historyOf(c.workflowId, c.runId));
      if (failure === undefined) continue;
      found.push({ workflowId: c.workflowId, runId: c.runId, workflowType: c.type, attempt, failure });
    }
    return found;
  }

  /**
   * Resets a stuck run. A nondeterminism failure names the history event where replay parted from
   * the history (`HistoryEvent(id: N, …)`); the workflow task whose commands wrote it is the last one
   * completed before N, and the reset goes back to that task so it runs again (its later signals
   * and updates reapplied, its activities run again: every payment carries an idempotency key).
   * Each further try of the same workflow steps one more task back.
   */
  async function mendCase(input: MendInput): Promise<MendResult> {
    const { workflowId, runId, tries, reason } = input;
    if ((await failingAttempt(workflowId, runId)) < 2) return { outcome: 'not_stuck' };
    const events = await historyOf(workflowId, runId);
    const failure = currentFailure(events);
    if (failure === undefined) return { outcome: 'not_stuck' };
    const parted = /HistoryEvent\(id: (\d+)/.exec(failure);
    const bound = parted ? Number(parted[1]) : Number.MAX_SAFE_INTEGER;
    const completed = events.filter(
      (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && Number(e.eventId) < bound,
    );
    const target = completed.at(-1 - tries);
    if (!target?.eventId) {
      return {
        outcome: 'unmendable',
        reason: `no completed workflow task left to reset to after ${tries} reset(s); last failure: ${failure}`,
      };
    }
    const resetEventId = Number(target.eventId);
    try {
      const { runId: newRunId } = await service.resetWorkflowExecution({
        namespace,
        workflowExecution: { workflowId, runId },
        reason: `${reason}: ${failure}`.slice(0, 1000),
        workflowTaskFinishEventId: target.eventId,
        // The same stuck run reset to the same event is one reset, however often the activity retries.
        requestId: `case-doctor:${runId}:${resetEventId}`,
        resetReapplyType: temporal.api.enums.v1.ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE,
        resetReapplyExcludeTypes: [],
      });
      logger?.info({ workflowId, runId, newRunId, resetEventId, failure }, 'case doctor: reset a stuck workflow');
      return { outcome: 'reset', runId: newRunId, resetEventId, failure };
    } catch (err) {
      return {
        outcome: 'unmendable',
        reason: `reset of ${workflowId} run ${runId} to event ${resetEventId} refused: ${(err as Error).message}`,
      };
    }
  }

  /** Keeps ops' record of one stuck workflow; answers whether it was news (so ops are alerted once per state). */
  async function recordStuck(entry: {
    stuck: StuckWorkflow;
    status: 'mended' | 'unmendable';
    resets: number;
    resetRunId?: string;
    resetEventId?: number;
    reason?: string;
  }): Promise<{ news: boolean }> {
    const { stuck: s, status, resets } = entry;
    const now = new Date();
    const before = await stuck
      .findOneAndUpdate(
        { _id: s.workflowId },
        {
          $set: {
            workflowId: s.workflowId,
            workflowType: s.workflowType,
            runId: s.runId,
            status,
            failure: s.failure,
            attempt: s.attempt,
            resets,
            resetRunId: entry.resetRunId ?? null,
            resetEventId: entry.resetEventId ?? null,
            reason: entry.reason ?? null,
            updatedAt: now,
          },
          $setOnInsert: { firstSeenAt: now },
        },
        { upsert: true, new: false },
      )
      .lean();
    return { news: before?.status !== status || before.runId !== s.runId };
  }

  /** Workflows on the list that run again (mended, or fixed by a person): recovered. Answers how many remain unmendable. */
  async function clearRecovered({
    stillStuck,
  }: {
    stillStuck: string[];
  }): Promise<{ unmendable: number; recovered: string[] }> {
    const listed = await stuck
      .find(
        { status: { $in: ['mended', 'unmendable'] }, _id: { $nin: stillStuck } },
        { _id: 1, runId: 1, resetRunId: 1, status: 1 },
      )
      .lean();
    const recovered: string[] = [];
    for (const doc of listed) {
      // A mended case is recovered once its new run has no failing task; an unmendable one once a person mended it.
      const attempt = await failingAttempt(doc._id, '').catch(() => 0);
      if (attempt < 2) recovered.push(doc._id);
    }
    if (recovered.length)
      await stuck.updateMany({ _id: { $in: recovered } }, { $set: { status: 'recovered', updatedAt: new Date() } });
    return { unmendable: await stuck.countDocuments({ status: 'unmendable' }), recovered };
  }

  /** Tells the case's new run what happened, so its timeline (and audit log) records the repair. */
  async function signalRepaired({
    workflowId,
    runId,
    repair,
  }: {
    workflowId: string;
    runId: string;
    repair: CaseRepairV1;
  }): Promise<void> {
    await client.workflow.getHandle(workflowId, runId).signal(caseRepairedSignal, repair);
  }

  return { findStuckCases, mendCase, recordStuck, clearRecovered, signalRepaired };
}

export type DoctorActivities = ReturnType<typeof createDoctorActivities>;
