import { Context } from '@temporalio/activity';
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
  /**
   * Leave updates out of the reset, for `redeliverUpdates` to send once the new run can take them:
   * a reapplied update is validated at once, against the state of the task reset to, and refused
   * there if the case only reached the state it needs later (the customer's acceptance of a plan
   * whose payment result came after the reset point). Without it every update is reapplied.
   */
  holdUpdates?: boolean;
}

export interface RedeliverInput {
  workflowId: string;
  /** The run the reset left, whose history holds the updates it accepted. */
  fromRunId: string;
  resetEventId: number;
  /** Refusals that mean "not yet" (the case is between steps or not at the stage): sent again. */
  notYet: string[];
  /** How long an update may keep being refused as "not yet" before it is reported lost. */
  withinMs: number;
}

export interface LostUpdate {
  updateId: string;
  name: string;
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
        resetReapplyExcludeTypes: input.holdUpdates
          ? [temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE]
          : [],
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

  /** One try: taken (accepted), or why not and whether that means "not yet". */
  async function sendUpdate(
    workflowId: string,
    request: temporal.api.update.v1.IRequest,
    notYet: string[],
  ): Promise<{ taken: true } | { taken: false; reason: string; notYet: boolean }> {
    const Stage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
    try {
      // Bounded well inside the heartbeat timeout: a case without a worker leaves the call waiting.
      const { outcome, stage } = await client.connection.withDeadline(Date.now() + 20_000, () =>
        service.updateWorkflowExecution({
          namespace,
          workflowExecution: { workflowId },
          request,
          waitPolicy: { lifecycleStage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED },
        }),
      );
      const failure = outcome?.failure;
      if (failure) {
        // A refusal, or the handler's own failure: only "not now" is sent again, the rest goes to a person.
        const type = failure.applicationFailureInfo?.type ?? '';
        return { taken: false, reason: failure.message ?? 'refused', notYet: notYet.includes(type) };
      }
      if ((stage ?? 0) >= Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED) return { taken: true };
      return { taken: false, reason: 'not accepted before the server stopped waiting', notYet: true };
    } catch (err) {
      // The server or the worker busy or restarting: the update is sent again.
      return { taken: false, reason: (err as Error).message, notYet: true };
    }
  }

  /**
   * Sends the new run, in their order, the updates the reset left out: those the old run accepted
   * after the reset point, each acknowledged to its caller. Each goes with its own update id, so a
   * caller sending it again meets the same update, and a retry of this activity sends none twice.
   * A "not yet" refusal is sent again until the case can take it (its results arrive again after
   * the reset); any other refusal, or "not yet" for longer than `withinMs`, is an update lost, which
   * the doctor gives to a person.
   */
  async function redeliverUpdates(input: RedeliverInput): Promise<{ redelivered: string[]; lost: LostUpdate[] }> {
    const { workflowId, fromRunId, resetEventId, notYet, withinMs } = input;
    const accepted = (await historyOf(workflowId, fromRunId))
      .filter(
        (e) =>
          e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED && Number(e.eventId) > resetEventId,
      )
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest)
      .filter((r): r is temporal.api.update.v1.IRequest => !!r?.meta?.updateId);
    const redelivered: string[] = [];
    const lost: LostUpdate[] = [];
    for (const request of accepted) {
      const updateId = request.meta!.updateId!;
      const name = request.input?.name ?? '?';
      const giveUpAt = Date.now() + withinMs;
      for (;;) {
        Context.current().heartbeat(updateId);
        const answer = await sendUpdate(workflowId, request, notYet);
        if (answer.taken) {
          redelivered.push(name);
          break;
        }
        if (!answer.notYet || Date.now() > giveUpAt) {
          lost.push({ updateId, name, reason: answer.reason });
          logger?.warn(
            { workflowId, updateId, name, reason: answer.reason },
            'case doctor: an acknowledged update was lost',
          );
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    return { redelivered, lost };
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

  return { findStuckCases, mendCase, redeliverUpdates, recordStuck, clearRecovered, signalRepaired };
}

export type DoctorActivities = ReturnType<typeof createDoctorActivities>;
