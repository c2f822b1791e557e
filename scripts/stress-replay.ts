import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ApplicationFailure,
  type Client,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { AGENT, type BenchCase, benchCase, describeError, putOrder, workflowInput } from '../dev/bench/lifecycle';
import { startWorld, type World } from '../dev/stack/world';
import type { Actor } from '../shared/intake';
import {
  addEvidenceUpdate,
  approvalUpdate,
  assignUpdate,
  caseViewQuery,
  briefUpdate,
  cancelStepUpdate,
  customerResponseUpdate,
  firstResponseUpdate,
  proposeResolutionUpdate,
  satisfactionUpdate,
  submitUpdate,
} from '../shared/messages';
import { queryRunAheadRefused } from '../api/errors';
import { ROOT } from '../dev/paths';
import { killWorker, untilPolling } from '../dev/reliability/kills';

/**
 * `npm run stress:replay -- --cases 2000`: how many histories do not replay on the code that wrote
 * them (docs/determinism.md). On the reliability run's stack (dev/stack/world.ts: the real worker
 * process, killed with SIGKILL every --kill-every seconds and started again), --lanes cases at a
 * time go the short way from intake to close, each action sent again and again until the case takes
 * it, so that actions reach the workflow just as the activity results they wait for arrive:
 *
 *   every case: open, assign, first response with evidence sent beside it, brief, then by case number
 *     0  a partial refund, the customer's acceptance racing the payment's result
 *     1  a coupon above the approval threshold: the supervisor's approval, then the acceptance racing the coupon
 *     2  a repair called off (cancel) as soon as the merchant's notice is out, then a compensation
 *     3  a full refund with evidence sent while it is paid
 *   then the rating racing the satisfaction callback, which closes the case.
 *
 * Then EVERY workflow history on the server (closed and running, every workflow type) is replayed
 * with the worker's workflow bundle. Prints cases, kills, histories replayed and those that do not
 * replay, with their ids; their histories are written to bench-results/stress-replay-<run>/ and to
 * test/fixtures/nondeterminism/. Exits 1 when any history does not replay.
 *
 * With --minutes, no case starts after that many minutes and those under way are left running 3
 * minutes later (a time-boxed run on a busy machine): the figure names how many cases it reached.
 *
 *   npm run stress:replay -- [--cases 200] [--lanes 30] [--kill-every 20] [--resend-ms 1000] [--minutes M] [--queries no]
 *
 * Before each send the case is read through a workflow query, as ops' Web UI does: a worker that does
 * not hold the case answers it by running the case on the results no completed task has written yet,
 * which is how an action comes to follow those results in a task of its own (docs/determinism.md).
 * `--queries no` leaves them out.
 */

const { values: flags } = parseArgs({
  options: {
    cases: { type: 'string', default: '200' },
    lanes: { type: 'string', default: '30' },
    'kill-every': { type: 'string', default: '20' },
    'resend-ms': { type: 'string', default: '1000' },
    minutes: { type: 'string' },
    queries: { type: 'string', default: 'yes' },
  },
});
const RUN = `s${Date.now().toString(36)}`;
const OUT_DIR = path.join(ROOT, 'bench-results', `stress-replay-${RUN}`);
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'nondeterminism');
/** A case that cannot move one step within this gives up; its history is replayed all the same. */
const STEP_DEADLINE_MS = 300_000;
/** With --minutes: no case starts after that many minutes, and the cases under way are left where they are this much later (still replayed). */
const WIND_DOWN_MS = 180_000;
const startedAt = Date.now();
const budgetMs = flags.minutes === undefined ? Infinity : Number(flags.minutes) * 60_000;
const pastBudget = () => Date.now() - startedAt > budgetMs;
const pastWindDown = () => Date.now() - startedAt > budgetMs + WIND_DOWN_MS;
/** One send's bound: an update waits for a worker, and a killed worker answers nothing. */
const SEND_DEADLINE_MS = 20_000;
const SUPERVISOR: Actor = { sub: 'sup-1', role: 'supervisor' };
const EVIDENCE = [{ kind: 'photo' as const, url: 'https://img.example.com/kettle.jpg', note: '' }];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const counts = {
  sends: 0,
  refusedNotYet: 0,
  refusedUnsettled: 0,
  sendErrors: 0,
  closed: 0,
  gaveUp: 0,
  queries: 0,
  queriesRefusedRunAhead: 0,
  queriesFailed: 0,
};
const gaveUp: string[] = [];

/** The workflow's refusal code, or undefined for an error that is not the workflow's answer. */
function refusal(err: unknown): string | undefined {
  return err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure
    ? (err.cause.type ?? undefined)
    : undefined;
}

/**
 * Sends the update until the case takes it: `wrong_stage` (the case is not there yet) and
 * `unavailable` (it moved earlier in the same workflow task) are sent again after --resend-ms, as are
 * errors of a dead worker. One update id per action, so a send whose answer was lost reaches the
 * same update. Any other refusal is a defect of the script and is thrown.
 */
async function insist(
  client: Client,
  c: BenchCase,
  key: string,
  send: (updateId: string) => Promise<unknown>,
): Promise<void> {
  const resendMs = Number(flags['resend-ms']);
  const end = Date.now() + STEP_DEADLINE_MS;
  for (;;) {
    if (flags.queries === 'yes') {
      counts.queries++;
      await client
        .withDeadline(Date.now() + SEND_DEADLINE_MS, () => client.workflow.getHandle(c.id).query(caseViewQuery))
        .catch((err: unknown) => {
          if (queryRunAheadRefused(err)) counts.queriesRefusedRunAhead++;
          else counts.queriesFailed++;
        });
    }
    counts.sends++;
    try {
      await client.withDeadline(Date.now() + SEND_DEADLINE_MS, () => send(`${c.id}:${key}`));
      return;
    } catch (err) {
      const code = refusal(err);
      if (code === 'wrong_stage') counts.refusedNotYet++;
      else if (code === 'unavailable') counts.refusedUnsettled++;
      else if (code === undefined) counts.sendErrors++;
      else throw new Error(`${key} refused as ${code}: ${describeError(err)}`, { cause: err });
      if (Date.now() > end || pastWindDown())
        throw new Error(`${key} not taken within ${STEP_DEADLINE_MS / 1000} s: ${describeError(err)}`, { cause: err });
      // Spread so that lanes do not send in step.
      await sleep(resendMs / 2 + Math.random() * resendMs);
    }
  }
}

async function runCase(world: World, c: BenchCase, n: number): Promise<void> {
  const { client } = world;
  const handle = client.workflow.getHandle(c.id);
  const act = <B extends object>(key: string, update: { name: string }, body: B, actor: Actor = AGENT) =>
    insist(client, c, key, (updateId) => handle.executeUpdate(update.name, { updateId, args: [{ ...body, actor }] }));

  await insist(client, c, 'submit', (updateId) => {
    const start = new WithStartWorkflowOperation('complaintWorkflow', {
      workflowId: c.id,
      taskQueue: world.taskQueue,
      args: [workflowInput(c)],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return client.workflow.executeUpdateWithStart(submitUpdate, {
      updateId,
      args: [{ submissionId: `${c.id}:submission`, channel: 'app', evidence: [], actor: c.customer }],
      startWorkflowOperation: start,
    });
  });
  await act('assign', assignUpdate, { agentId: AGENT.sub });
  // The evidence races the first response's message to the customer; the brief, the investigation's start.
  await Promise.all([
    act('first-response', firstResponseUpdate, { message: 'We are checking the kettle.', requestEvidence: false }),
    act('evidence-1', addEvidenceUpdate, { items: EVIDENCE }, c.customer),
  ]);
  await act('brief', briefUpdate, { responsibility: 'merchant', findings: 'Defect confirmed' });
  switch (n % 4) {
    case 0:
      await act('propose', proposeResolutionUpdate, {
        type: 'partial_refund',
        amountFen: 5_000,
        note: 'Partial refund',
      });
      break;
    case 1:
      // Above the approval threshold (50 000 fen by default): a supervisor approves, then the coupon is issued.
      await act('propose', proposeResolutionUpdate, { type: 'coupon', couponFen: 60_000, note: 'Goodwill coupon' });
      await act('approve', approvalUpdate, { decision: 'approve', reason: 'Fair' }, SUPERVISOR);
      break;
    case 2:
      await act('propose', proposeResolutionUpdate, { type: 'repair', note: 'Repair by the merchant' });
      // Called off as soon as the repair step waits, racing the merchant notice's result; the case goes back to re-plan.
      await act('cancel', cancelStepUpdate, { step: 'repair', reason: 'The customer prefers money back' });
      await act('propose-2', proposeResolutionUpdate, { type: 'compensation', amountFen: 3_000, note: 'Compensation' });
      break;
    default:
      await act('propose', proposeResolutionUpdate, {
        type: 'refund',
        amountFen: c.order.amountPaidFen,
        note: 'Full refund',
      });
      await act('evidence-2', addEvidenceUpdate, { items: EVIDENCE }, c.customer);
  }
  // Sent until taken: each lands as soon as the payment's (or coupon's) result moved the case.
  await act('accept', customerResponseUpdate, { accept: true }, c.customer);
  // The rating races the satisfaction callback, and closes the case.
  await act('rate', satisfactionUpdate, { rating: 5 }, c.customer);
  counts.closed++;
}

/** Every workflow on the server, replayed with the worker's bundle; answers the ids that do not replay, with their errors. */
async function replayEverything(world: World): Promise<{
  replayed: number;
  byType: Record<string, number>;
  failed: Array<{ workflowId: string; runId: string; type: string; error: string }>;
}> {
  const histories = new Map<string, temporal.api.history.v1.IHistory>();
  const types = new Map<string, string>();
  const byType: Record<string, number> = {};
  async function* all() {
    for await (const w of world.client.workflow.list()) {
      const history = await world.client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
      const key = `${w.workflowId}/${w.runId}`;
      histories.set(key, history);
      types.set(key, w.type);
      byType[w.type] = (byType[w.type] ?? 0) + 1;
      yield { workflowId: key, history };
    }
  }
  let replayed = 0;
  const failed: Array<{ workflowId: string; runId: string; type: string; error: string }> = [];
  for await (const r of Worker.runReplayHistories(
    { workflowBundle: { codePath: world.bundlePath }, replayName: RUN },
    all(),
  )) {
    replayed++;
    const [workflowId, runId] = r.workflowId.split('/');
    if (r.error) {
      failed.push({ workflowId, runId, type: types.get(r.workflowId) ?? '?', error: r.error.message.split('\n')[0] });
      mkdirSync(OUT_DIR, { recursive: true });
      const file = path.join(OUT_DIR, `${RUN}-${workflowId}.json`);
      writeFileSync(file, historyToJSON(histories.get(r.workflowId)!));
      // The evidence goes where the replay suite keeps it (test/replay/nondeterminism.test.ts).
      copyFileSync(file, path.join(FIXTURES, `stress-${path.basename(file)}`));
    }
    histories.delete(r.workflowId);
  }
  return { replayed, byType, failed };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const n = Number(flags.cases);
  const lanes = Number(flags.lanes);
  const world = await startWorld({ logDir: OUT_DIR, cases: n });
  process.once('SIGINT', () => void world.close().finally(() => process.exit(130)));
  const load: number[] = [];
  const t0 = Date.now();
  let kills = 0;
  try {
    const cases = Array.from({ length: n }, (_, i) => benchCase(RUN, i));
    let next = 0;
    let started = 0;
    const lane = async () => {
      while (next < cases.length && !pastBudget()) {
        const i = next++;
        started++;
        const c = cases[i];
        try {
          await putOrder(world.sandboxUrl, c);
          await runCase(world, c, i);
        } catch (err) {
          counts.gaveUp++;
          gaveUp.push(`${c.id}: ${describeError(err)}`);
          if (gaveUp.length <= 5) console.log(`  gave up: ${gaveUp.at(-1)}`);
        }
      }
    };
    let running = true;
    const drivers = Promise.all(Array.from({ length: Math.min(lanes, n) }, lane)).finally(() => (running = false));
    const everyMs = Number(flags['kill-every']) * 1000;
    const toPoll: number[] = [];
    while (running) {
      // Counted from when the worker polls, so that each one runs workflow tasks for the whole interval.
      const polling = await untilPolling(world);
      if (polling !== undefined) toPoll.push(polling);
      await Promise.race([drivers, sleep(everyMs)]);
      if (!running) break;
      load.push(loadavg()[0]);
      await killWorker(world);
      kills++;
      const minutes = ((Date.now() - t0) / 60_000).toFixed(1);
      console.log(
        `  ${minutes} min: ${kills} kills, ${counts.closed} of ${n} cases closed, ${counts.gaveUp} gave up, load ${loadavg()[0].toFixed(1)}, the last worker polled ${polling === undefined ? 'not within 180' : Math.round(polling / 1000)} s after it listened`,
      );
    }
    await drivers;
    const drivenMin = (Date.now() - t0) / 60_000;
    console.log(`driven in ${drivenMin.toFixed(1)} min; replaying every history with the current workflow bundle`);
    const r = await replayEverything(world);
    const minutes = ((Date.now() - t0) / 60_000).toFixed(1);
    const meanLoad = load.length ? (load.reduce((a, b) => a + b, 0) / load.length).toFixed(1) : loadavg()[0].toFixed(1);
    const maxLoad = load.length ? Math.max(...load).toFixed(1) : '?';
    for (const g of gaveUp.slice(0, 20)) console.log(`gave up: ${g}`);
    for (const f of r.failed) console.log(`DOES NOT REPLAY: ${f.workflowId} (${f.type}, run ${f.runId}): ${f.error}`);
    if (r.failed.length) console.log(`histories in ${OUT_DIR} and test/fixtures/nondeterminism/stress-${RUN}-*.json`);
    console.log(
      `\nstress:replay: ${started} of ${n} cases started (${counts.closed} closed, ${counts.gaveUp} left open or gave up), ${kills} worker kills (every ${flags['kill-every']} s), ` +
        `${counts.sends} sends (${counts.refusedNotYet} not yet, ${counts.refusedUnsettled} refused as moved in the same task, ${counts.sendErrors} errors), ` +
        `${counts.queries} queries (${counts.queriesRefusedRunAhead} refused as a run-ahead, ${counts.queriesFailed} failed otherwise), ` +
        `${r.replayed} histories replayed (${Object.entries(r.byType)
          .map(([t, k]) => `${k} ${t}`)
          .join(', ')}), ` +
        `${r.failed.length} do not replay; load average mean ${meanLoad} (max ${maxLoad}); ${drivenMin.toFixed(1)} min driving, ${minutes} min in all`,
    );
    process.exitCode = r.failed.length ? 1 : 0;
  } finally {
    await world.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
