import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { timelineQuery } from '../../shared/messages';
import { SlaPolicy } from '../../shared/policy';
import type { Store } from '../../store/connection';
import { stuckCaseModel } from '../../store/stuckCases';
import {
  type BenchCase,
  type Desk,
  apiDesk,
  bareDesk,
  benchCase,
  driveAll,
  putOrder,
  workflowInput,
} from '../bench/lifecycle';
import { BENCH_POLICY, type World } from '../stack/world';
import { type CaseMoney, moneyByCase, paymentRequests } from './money';

/**
 * One reliability run on one stack (the trials are in trials.ts): its cases, how each trial's cases
 * are made, driven and checked, and what the run found, for its entry point to print.
 */

/** Cases in flight at once: enough to keep the worker busy, few enough that a lifecycle stays within minutes here. */
const LANES = 40;
/** No trial may run longer than this, whatever happens. */
export const TRIAL_DEADLINE_MS = 15 * 60_000;
/**
 * The bench's policy with the customer's two windows (objection, rating after the callback) as long
 * as a trial: nothing here waits them out. At the bench's 60 s, 7 of 200 cases of the full-size kill
 * trial (load 20-30 on 2 cores, the worker killed every 30 s) closed as no_feedback before their
 * customer's rating came through: the policy at work, not a loss, and not what the trials are about.
 */
export const TRIAL_POLICY = SlaPolicy.parse({
  ...BENCH_POLICY,
  objectionWindow: `PT${TRIAL_DEADLINE_MS / 60_000}M`,
  satisfaction: { ...BENCH_POLICY.satisfaction, answerWithin: `PT${TRIAL_DEADLINE_MS / 60_000}M` },
});

export interface TrialRun {
  /** Unique to the run, in every case's id. */
  id: string;
  /** Where the run keeps what it found: histories that do not replay, the payments, the workers' logs. */
  dir: string;
  world: World;
  db: Store;
  violations: string[];
  /** A row per trial. */
  summary: Array<Record<string, unknown>>;
  /** The API trial's tables, each with its title. */
  apiRows: Array<[string, Record<string, unknown>]>;
  /** Every case of the run, for the end: stuck cases, the doctor's repairs, payments per case. */
  cases: BenchCase[];
  /** The payment requests of every case, by trial. */
  money: Array<CaseMoney & { trial: string }>;
}

export function openTrialRun(id: string, dir: string, world: World, db: Store): TrialRun {
  return { id, dir, world, db, violations: [], summary: [], apiRows: [], cases: [], money: [] };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface EndState {
  stuck: number;
  mended: number;
  /** Each case the doctor reset, with the failure it saw; their histories are kept in the run's folder. */
  repairs: Array<{ workflowId: string; failure: string }>;
  reads: { query: number; total: number };
}

/**
 * After every trial: no case of the run is stuck (a workflow task failing again and again, or
 * listed by the doctor as unmendable), how many the doctor mended, and where the API answered reads.
 */
export async function endState(run: TrialRun): Promise<EndState> {
  const { world, db } = run;
  let stuck = 0;
  for (const c of run.cases) {
    const { raw, status } = await world.client.workflow.getHandle(c.id).describe();
    if (status.name === 'RUNNING' && (raw.pendingWorkflowTask?.attempt ?? 0) >= 2) {
      stuck++;
      run.violations.push(
        `end: ${c.id} is stuck: its workflow task failed ${raw.pendingWorkflowTask?.attempt} times in a row`,
      );
    }
  }
  const records = await stuckCaseModel(db.connection).find().lean();
  const unmendable = records.filter((r) => r.status === 'unmendable');
  for (const r of unmendable) run.violations.push(`end: the case doctor could not mend ${r.workflowId}: ${r.reason}`);
  const mended = records.filter((r) => r.resets > 0 && r.status !== 'unmendable');
  for (const r of mended) {
    // What made its task fail, and every run of it (the reset's first run holds the failing task).
    await keepHistories(run, r.workflowId);
    // A mended complaint case says so in its timeline.
    if (r.workflowType !== 'complaintWorkflow') continue;
    const audited = await db.audit.countDocuments({ complaintId: r.workflowId, action: 'case_repaired' });
    if (!audited)
      run.violations.push(`end: ${r.workflowId} was reset by the doctor but its audit log has no case_repaired entry`);
  }
  const metrics = await (await fetch(`${world.apiUrl}/metrics`)).text();
  const count = (source: string) =>
    Number(new RegExp(`^api_case_reads\\{source="${source}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
  const reads = { query: count('query'), total: count('query') + count('projection') + count('retained') };
  run.summary.push({
    trial: 'end of run',
    cases: run.cases.length,
    stuck: stuck + unmendable.length,
    doctorMended: mended.length,
    readsByQuery: `${reads.query}/${reads.total}`,
  });
  const repairs = mended.map((r) => ({ workflowId: r.workflowId, failure: r.failure.split('\n')[0] }));
  return { stuck: stuck + unmendable.length, mended: mended.length, repairs, reads };
}

export async function newCases(run: TrialRun, trial: string, n: number): Promise<BenchCase[]> {
  const { world } = run;
  // Partial refunds and compensations: the gateway would accept a second one, so paying twice shows.
  const cases = Array.from({ length: n }, (_, i): BenchCase => ({
    ...benchCase(`${run.id}${trial}`, i),
    plan: i % 2 ? { type: 'compensation', amountFen: 3_000 } : { type: 'partial_refund', amountFen: 5_000 },
  }));
  for (const c of cases) await putOrder(world.sandboxUrl, c);
  run.cases.push(...cases);
  return cases;
}

/** Drives every case to its close, `LANES` at a time; a case that cannot be driven is a violation. */
export function runAll(run: TrialRun, trial: string, cases: BenchCase[]) {
  const { world } = run;
  // Updates from a bare client (as the API sends them), reads through the API (as staff read).
  const bare = bareDesk(world.client, {
    workflowType: 'complaintWorkflow',
    taskQueue: world.taskQueue,
    // The trial's windows, as the API's intake gives its cases (the world's policy file).
    input: (c) => ({ ...workflowInput(c), policy: TRIAL_POLICY }),
  });
  const api = apiDesk(world.apiUrl!, world.env.JWT_SECRET);
  const desk: Desk = { ...bare, view: (c) => api.view(c) };
  return driveAll(desk, cases, { lanes: LANES, deadlineMs: TRIAL_DEADLINE_MS, violations: run.violations, trial });
}

/** Accepted payments per case so far. */
export async function acceptedByCase(world: World): Promise<Map<string, Array<{ at: string }>>> {
  const by = new Map<string, Array<{ at: string }>>();
  for (const r of await paymentRequests(world.sandboxUrl))
    if (r.outcome === 'accepted') by.set(r.complaintId, [...(by.get(r.complaintId) ?? []), r]);
  return by;
}

/**
 * The evidence of a case that ended otherwise or was mended: the history of every run of it (a
 * reset's first run holds the task that failed), as the run's Temporal database goes with its
 * temporary folder. Named `<case>.json` for the latest run, `<case>.<runId>.json` for earlier ones.
 */
async function keepHistories(run: TrialRun, workflowId: string): Promise<void> {
  const { client } = run.world;
  mkdirSync(run.dir, { recursive: true });
  const latest = await client.workflow
    .getHandle(workflowId)
    .describe()
    .then((d) => d.runId)
    .catch(() => null);
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await client.workflow
      .getHandle(workflowId, execution.runId)
      .fetchHistory()
      .catch(() => null);
    if (!history) continue;
    const name = execution.runId === latest ? workflowId : `${workflowId}.${execution.runId}`;
    writeFileSync(path.join(run.dir, `${name}.json`), historyToJSON(history));
  }
}

/** Replays every case's history against the workflow code: a worker killed mid-task must never leave one that does not replay. */
async function replayAll(run: TrialRun, trial: string, cases: BenchCase[]): Promise<Set<string>> {
  const { world } = run;
  const histories = new Map<string, temporal.api.history.v1.IHistory>();
  async function* fetchAll() {
    for (const c of cases) {
      const history = await world.client.workflow.getHandle(c.id).fetchHistory();
      histories.set(c.id, history);
      yield { workflowId: c.id, history };
    }
  }
  const failed = new Set<string>();
  for await (const r of Worker.runReplayHistories(
    { workflowBundle: { codePath: world.bundlePath }, replayName: trial },
    fetchAll(),
  )) {
    if (!r.error) continue;
    failed.add(r.workflowId);
    // Kept for the replay suite (test/replay) and for whoever fixes it.
    mkdirSync(run.dir, { recursive: true });
    writeFileSync(path.join(run.dir, `${r.workflowId}.json`), historyToJSON(histories.get(r.workflowId)!));
    run.violations.push(
      `${trial}: ${r.workflowId} does not replay: ${r.error.message.split('\n')[0]} (history in ${run.dir})`,
    );
  }
  return failed;
}

/**
 * The checks every trial ends with: each case closed as resolved, its step paid once and never more
 * than the order, replays, and its
 * projection shows it closed with every audit entry (given `catchUpMs`, since projection writes
 * retry after an outage).
 */
export async function verify(run: TrialRun, trial: string, cases: BenchCase[], catchUpMs = 60_000) {
  const { world, db } = run;
  let resolved = 0;
  // The view says closed a moment before the workflow completes (its last message and projection
  // write); every case gets the same 60 s, waited for together so a bad trial still reports soon.
  // Polled, not awaited with result(): a case that never ends (its history does not replay) would
  // leave result()'s long poll retrying after the run closed its client.
  type Outcome = { status: string; closeReason?: string };
  const giveUpAt = Date.now() + 60_000;
  const outcomeOf = async (id: string): Promise<Outcome> => {
    const handle = world.client.workflow.getHandle(id);
    for (;;) {
      if ((await handle.describe()).status.name !== 'RUNNING') return (await handle.result()) as Outcome;
      if (Date.now() > giveUpAt) return { status: 'still running after 60 s' };
      await sleep(1000);
    }
  };
  const outcomes = await Promise.all(
    cases.map((c) => outcomeOf(c.id).catch((err: Error): Outcome => ({ status: `failed: ${err.message}` }))),
  );
  const unresolved: string[] = [];
  cases.forEach((c, i) => {
    if (outcomes[i].status === 'closed' && outcomes[i].closeReason === 'resolved') resolved++;
    else {
      unresolved.push(c.id);
      run.violations.push(`${trial}: ${c.id} ended ${JSON.stringify(outcomes[i])} (history in ${run.dir})`);
    }
  });
  for (const id of unresolved) await keepHistories(run, id);
  const money = moneyByCase(await paymentRequests(world.sandboxUrl), cases);
  run.money.push(...money.map((m) => ({ trial, ...m })));
  for (const m of money) {
    if (m.lost)
      run.violations.push(`${trial}: ${m.complaintId} was never paid (${m.requests} request(s), ${m.refused} refused)`);
    if (m.paidTwice)
      run.violations.push(
        `${trial}: ${m.complaintId} paid twice: ${m.accepted} accepted payments for one step (${m.distinctKeys} key(s))`,
      );
    if (m.paidMoreThanOrder)
      run.violations.push(`${trial}: ${m.complaintId} paid ${m.movedFen} fen, more than the order`);
  }
  const lost = money.filter((m) => m.lost).length;
  const twice = money.filter((m) => m.paidTwice).length;
  const notReplaying = await replayAll(run, trial, cases);

  const started = Date.now();
  const behind = async () => {
    const out: string[] = [];
    for (const c of cases) {
      const doc = await db.cases.findById(c.id, { status: 1 }).lean();
      // The timeline query replays the history, which a case that does not replay cannot answer.
      const entries = notReplaying.has(c.id)
        ? undefined
        : await world.client.workflow
            .getHandle(c.id)
            .query(timelineQuery)
            .then(
              (t) => t.length,
              () => NaN,
            );
      const audited = await db.audit.countDocuments({ complaintId: c.id });
      if (doc?.status !== 'closed' || (entries !== undefined && audited !== entries))
        out.push(`${c.id} (projection ${doc?.status ?? 'missing'}, audit ${audited}/${entries})`);
    }
    return out;
  };
  let late = await behind();
  while (late.length && Date.now() - started < catchUpMs) {
    await sleep(2000);
    late = await behind();
  }
  if (late.length)
    run.violations.push(
      `${trial}: projection behind after ${catchUpMs / 1000} s for ${late.length} case(s), e.g. ${late[0]}`,
    );
  return {
    cases: cases.length,
    resolved,
    payRequests: money.reduce((n, m) => n + m.requests, 0),
    distinctKeys: money.reduce((n, m) => n + m.distinctKeys, 0),
    repeatedKey: money.reduce((n, m) => n + m.repeated, 0),
    refused: money.reduce((n, m) => n + m.refused, 0),
    movedFen: money.reduce((n, m) => n + m.movedFen, 0),
    lost,
    paidTwice: twice,
    paidMoreThanOrder: money.filter((m) => m.paidMoreThanOrder).length,
    notReplaying: notReplaying.size,
    projectionBehind: late.length,
    projectionWaitS: Math.round((Date.now() - started) / 1000),
  };
}

/** Arms or clears a sandbox fault. */
export function fault(world: World, method: 'POST' | 'DELETE', body?: object): Promise<Response> {
  return fetch(`${world.sandboxUrl}/_faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
}
