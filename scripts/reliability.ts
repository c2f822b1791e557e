import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { signToken } from '../api/auth';
import { caseViewQuery, timelineQuery } from '../shared/messages';
import { openStore, type Store } from '../store/connection';
import { authorizationMatrix } from '../bench/authorization';
import { fuzzApi } from '../bench/fuzz';
import { AGENT, type BenchCase, bareDesk, benchCase, drive, newStats, putOrder, workflowInput } from '../bench/lifecycle';
import { table } from '../bench/report';
import { startWorld, type World } from '../bench/stack';
import { ROOT } from './tools';

/**
 * `npm run test:reliability`: three trials on one stack (bench/stack.ts; the worker is the real
 * `workers/main.ts` in a child process), each a set of cases driven from intake through a refund
 * to close while something breaks, then checked: every case closed as resolved, exactly one
 * refund at the gateway per case (none lost, none paid twice), every history replays against the
 * workflow code (a history that does not is saved to bench-results/reliability-<run>/), and the
 * MongoDB projection and audit log match the workflow. Prints a summary; exits 1 on any
 * violation. Loopback only; every wait is bounded.
 *
 *   1. kill -9 the worker every --kill-every seconds (up to --kills times) while --cases run
 *   2. the payment gateway answers 503 to everything for --outage seconds
 *   3. the MongoDB-wire server goes down for --mongo-down seconds mid-run
 *   4. the Temporal dev server goes down for --temporal-down seconds mid-run
 *   5. malformed requests to the API (--fuzz-requests, --fuzz-seed) and every route × role × own/other case
 *
 * While a server is down the API (a child process, as in production) must answer 503 where it
 * needs that server, and answer again once it is back.
 *
 *   npm run test:reliability -- [--cases 200] [--kill-every 20] [--kills 6] [--outage 60]
 *                               [--outage-cases 20] [--mongo-cases 40] [--mongo-down 10]
 *                               [--temporal-cases 40] [--temporal-down 15] [--fuzz-requests 10000] [--fuzz-seed N]
 */

const { values: flags } = parseArgs({
  options: {
    cases: { type: 'string', default: '200' },
    'kill-every': { type: 'string', default: '20' },
    kills: { type: 'string', default: '6' },
    outage: { type: 'string', default: '60' },
    'outage-cases': { type: 'string', default: '20' },
    'mongo-cases': { type: 'string', default: '40' },
    'mongo-down': { type: 'string', default: '10' },
    'temporal-cases': { type: 'string', default: '40' },
    'temporal-down': { type: 'string', default: '15' },
    'fuzz-requests': { type: 'string', default: '10000' },
    'fuzz-seed': { type: 'string' },
  },
});
/** Cases in flight at once: enough to keep the worker busy, few enough that a lifecycle stays within minutes here. */
const LANES = 40;
/** No trial may run longer than this, whatever happens. */
const TRIAL_DEADLINE_MS = 15 * 60_000;
const RUN = Date.now().toString(36);
const HISTORIES_DIR = path.join(ROOT, 'bench-results', `reliability-${RUN}`);
const violations: string[] = [];
const summary: Array<Record<string, unknown>> = [];
const apiRows: Array<[string, Record<string, unknown>]> = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  // The replay check runs a replay worker in this process; its state changes are not news.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const world = await startWorld({ api: true });
  process.once('SIGINT', () => void world.close().finally(() => process.exit(130)));
  const db = await openStore(world.mongoUri, { serverSelectionTimeoutMS: 30_000 });
  try {
    await apiChecks(world);
    await workerKills(world, db);
    await paymentOutage(world, db);
    await serverOutage(world, db, 'mongo', Number(flags['mongo-cases']), Number(flags['mongo-down']));
    await serverOutage(world, db, 'temporal', Number(flags['temporal-cases']), Number(flags['temporal-down']));
  } finally {
    await db.connection.close();
    await world.close();
  }
  table('reliability', summary);
  for (const [title, row] of apiRows) table(title, [row]);
  for (const v of violations) console.log(`VIOLATION: ${v}`);
  console.log(violations.length ? `\n${violations.length} violation(s)` : '\nno violations');
  process.exit(violations.length ? 1 : 0);
}

async function newCases(world: World, trial: string, n: number): Promise<BenchCase[]> {
  const cases = Array.from({ length: n }, (_, i) => benchCase(`${RUN}${trial}`, i));
  for (const c of cases) await putOrder(world.sandboxUrl, c);
  return cases;
}

/** Drives every case to its close, `LANES` at a time; a case that cannot be driven is a violation. */
function runAll(world: World, trial: string, cases: BenchCase[]) {
  const desk = bareDesk(world.client, { workflowType: 'complaintWorkflow', taskQueue: world.taskQueue, input: workflowInput });
  const stats = newStats();
  let next = 0;
  const lane = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      try {
        await desk.open(c, stats);
        await drive(desk, c, stats);
      } catch (err) {
        violations.push(`${trial}: ${c.id} could not be driven to its close: ${(err as Error).message}`);
      }
    }
  };
  const all = Promise.all(Array.from({ length: Math.min(LANES, cases.length) }, lane));
  const deadline = sleep(TRIAL_DEADLINE_MS).then(() => 'deadline' as const);
  return { stats, done: Promise.race([all.then(() => 'done' as const), deadline]) };
}

async function refundsByCase(world: World): Promise<Map<string, Array<{ idempotencyKey: string; createdAt: string }>>> {
  const refunds = (await (await fetch(`${world.sandboxUrl}/payments/refunds`)).json()) as Array<{ complaintId: string; idempotencyKey: string; createdAt: string }>;
  const by = new Map<string, Array<{ idempotencyKey: string; createdAt: string }>>();
  for (const r of refunds) by.set(r.complaintId, [...(by.get(r.complaintId) ?? []), r]);
  return by;
}

/** Replays every case's history against the workflow code: a worker killed mid-task must never leave one that does not replay. */
async function replayAll(world: World, trial: string, cases: BenchCase[]): Promise<Set<string>> {
  const histories = new Map<string, temporal.api.history.v1.IHistory>();
  async function* fetchAll() {
    for (const c of cases) {
      const history = await world.client.workflow.getHandle(c.id).fetchHistory();
      histories.set(c.id, history);
      yield { workflowId: c.id, history };
    }
  }
  const failed = new Set<string>();
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: world.bundlePath }, replayName: trial }, fetchAll())) {
    if (!r.error) continue;
    failed.add(r.workflowId);
    // Kept for the replay suite (test/replay) and for whoever fixes it.
    mkdirSync(HISTORIES_DIR, { recursive: true });
    writeFileSync(path.join(HISTORIES_DIR, `${r.workflowId}.json`), historyToJSON(histories.get(r.workflowId)!));
    violations.push(`${trial}: ${r.workflowId} does not replay: ${r.error.message.split('\n')[0]} (history in ${HISTORIES_DIR})`);
  }
  return failed;
}

/**
 * The checks every trial ends with: each case closed as resolved, paid once, replays, and its
 * projection shows it closed with every audit entry (given `catchUpMs`, since projection writes
 * retry after an outage).
 */
async function verify(world: World, db: Store, trial: string, cases: BenchCase[], catchUpMs = 60_000) {
  let resolved = 0;
  // The view says closed a moment before the workflow completes (its last message and projection
  // write); every case gets the same 60 s, waited for together so a bad trial still reports soon.
  type Outcome = { status: string; closeReason?: string };
  const giveUp = sleep(60_000).then((): Outcome => ({ status: 'still running after 60 s' }));
  const outcomes = await Promise.all(cases.map((c) => Promise.race([
    world.client.workflow.getHandle(c.id).result() as Promise<Outcome>,
    giveUp,
  ]).catch((err: Error): Outcome => ({ status: `failed: ${err.message}` }))));
  cases.forEach((c, i) => {
    if (outcomes[i].status === 'closed' && outcomes[i].closeReason === 'resolved') resolved++;
    else violations.push(`${trial}: ${c.id} ended ${JSON.stringify(outcomes[i])}`);
  });
  const refunds = await refundsByCase(world);
  const paid = cases.map((c) => refunds.get(c.id)?.length ?? 0);
  const lost = paid.filter((n) => n === 0).length;
  const twice = paid.filter((n) => n > 1).length;
  if (lost) violations.push(`${trial}: ${lost} case(s) without a refund`);
  if (twice) violations.push(`${trial}: ${twice} case(s) refunded more than once`);
  const notReplaying = await replayAll(world, trial, cases);

  const started = Date.now();
  const behind = async () => {
    const out: string[] = [];
    for (const c of cases) {
      const doc = await db.cases.findById(c.id, { status: 1 }).lean();
      // The timeline query replays the history, which a case that does not replay cannot answer.
      const entries = notReplaying.has(c.id) ? undefined : await world.client.workflow.getHandle(c.id).query(timelineQuery).then((t) => t.length, () => NaN);
      const audited = await db.audit.countDocuments({ complaintId: c.id });
      if (doc?.status !== 'closed' || (entries !== undefined && audited !== entries)) out.push(`${c.id} (projection ${doc?.status ?? 'missing'}, audit ${audited}/${entries})`);
    }
    return out;
  };
  let late = await behind();
  while (late.length && Date.now() - started < catchUpMs) {
    await sleep(2000);
    late = await behind();
  }
  if (late.length) violations.push(`${trial}: projection behind after ${catchUpMs / 1000} s for ${late.length} case(s), e.g. ${late[0]}`);
  return {
    cases: cases.length,
    resolved,
    refunded: paid.filter((n) => n === 1).length,
    lost,
    paidTwice: twice,
    notReplaying: notReplaying.size,
    projectionBehind: late.length,
    projectionWaitS: Math.round((Date.now() - started) / 1000),
  };
}

/** Trial 1: the worker process is SIGKILLed again and again while the cases run, and started again at once. */
async function workerKills(world: World, db: Store): Promise<void> {
  const trial = 'worker kill -9';
  const cases = await newCases(world, 'k', Number(flags.cases));
  const t0 = Date.now();
  const { stats, done } = runAll(world, trial, cases);
  let kills = 0;
  while (kills < Number(flags.kills)) {
    if (await Promise.race([done, sleep(Number(flags['kill-every']) * 1000)])) break;
    const worker = world.procs.get('worker')!;
    worker.process.kill('SIGKILL');
    await worker.process;
    kills++;
    console.log(`  ${trial}: killed the worker (${kills}) at ${Math.round((Date.now() - t0) / 1000)} s; starting another`);
    await world.startWorker();
  }
  if ((await done) === 'deadline') violations.push(`${trial}: not every case closed within ${TRIAL_DEADLINE_MS / 60_000} min`);
  summary.push({ trial, kills, seconds: Math.round((Date.now() - t0) / 1000), retries: stats.retries, ...(await verify(world, db, trial, cases)) });
}

/** Trial 2: the payment gateway fails every call for a while; refunds wait, then each is paid once. */
async function paymentOutage(world: World, db: Store): Promise<void> {
  const trial = `payments down ${flags.outage} s`;
  const cases = await newCases(world, 'p', Number(flags['outage-cases']));
  const fault = (method: string, body?: object) =>
    fetch(`${world.sandboxUrl}/_faults`, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  await fault('POST', { service: 'payments', mode: 'error', rate: 1 });
  const t0 = Date.now();
  const { stats, done } = runAll(world, trial, cases);
  await sleep(Number(flags.outage) * 1000);
  const [armed] = (await (await fetch(`${world.sandboxUrl}/_faults`)).json()) as Array<{ hits: number }>;
  const during = await refundsByCase(world);
  const paidDuringOutage = cases.filter((c) => during.has(c.id)).length;
  const statuses = await Promise.all(cases.map((c) => world.client.workflow.getHandle(c.id).query(caseViewQuery).then((v) => v.status, () => 'unknown')));
  const waiting = cases.filter((_, i) => statuses[i] === 'executing');
  // Staff reading a waiting case through the API see its refund being retried.
  const token = await signToken(world.env.JWT_SECRET, { sub: AGENT.sub, role: 'agent' });
  const shown = await Promise.all(waiting.map(async (c) => {
    const res = await fetch(`${world.apiUrl}/v1/complaints/${c.id}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { retrying?: Array<{ activity: string; attempt: number }> };
    return body.retrying?.some((r) => r.activity === 'payRefund' && r.attempt >= 2) ?? false;
  }));
  const showingRetry = shown.filter(Boolean).length;
  if (showingRetry < waiting.length) violations.push(`${trial}: ${waiting.length - showingRetry} of ${waiting.length} waiting case(s) do not show the refund's retries`);
  if (paidDuringOutage) violations.push(`${trial}: ${paidDuringOutage} refund(s) recorded while the gateway was down`);
  if (!armed?.hits) violations.push(`${trial}: no payment call reached the gateway during the outage`);
  await fault('DELETE');
  const restored = Date.now();
  if ((await done) === 'deadline') violations.push(`${trial}: not every case closed within ${TRIAL_DEADLINE_MS / 60_000} min`);
  const after = await refundsByCase(world);
  const lastPaid = Math.max(...cases.map((c) => Date.parse(after.get(c.id)?.[0]?.createdAt ?? '0')));
  summary.push({
    trial,
    failedPaymentCalls: armed?.hits ?? 0,
    waitingAtRestore: waiting.length,
    showingRetry,
    paidDuringOutage,
    lastRefundAfterRestoreS: Math.round((lastPaid - restored) / 1000),
    seconds: Math.round((Date.now() - t0) / 1000),
    retries: stats.retries,
    ...(await verify(world, db, trial, cases)),
  });
}

/** What the API answered while a server was down, and how long it took to answer again once back. */
interface ApiProbe {
  readyz: number;
  list: number;
  action: number;
  read: number;
}

/**
 * One request of each kind the API serves, as staff: readiness, the list (MongoDB), an action on a
 * case (Temporal) and a case read (Temporal, falling back to the projection).
 */
async function probeApi(world: World, caseId: string): Promise<ApiProbe> {
  const token = await signToken(world.env.JWT_SECRET, { sub: AGENT.sub, role: 'agent' });
  const send = async (path: string, body?: object) => {
    const res = await fetch(`${world.apiUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    }).catch(() => undefined);
    await res?.arrayBuffer();
    return res?.status ?? 0;
  };
  return {
    readyz: await send('/readyz'),
    list: await send('/v1/complaints?limit=5'),
    action: await send(`/v1/complaints/${caseId}/assign`, { agentId: AGENT.sub }),
    read: await send(`/v1/complaints/${caseId}`),
  };
}

/**
 * Trials 3 and 4: a server stops mid-run and comes back on the same data file. Cases resume, the
 * projection catches up, and the API answers 503 for what needs the missing server (and for
 * readiness) while it is down, and answers again once it is back.
 */
async function serverOutage(world: World, db: Store, server: 'mongo' | 'temporal', count: number, downS: number): Promise<void> {
  const trial = `${server === 'mongo' ? 'MongoDB' : 'Temporal'} down ${downS} s`;
  const cases = await newCases(world, server[0], count);
  const t0 = Date.now();
  const { stats, done } = runAll(world, trial, cases);
  // Mid-run: a quarter of the cases closed, the rest at every stage with their writes flowing.
  const quarterClosed = async () => (await db.cases.countDocuments({ _id: { $in: cases.map((c) => c.id) }, status: 'closed' })) >= cases.length / 4;
  for (const end = Date.now() + TRIAL_DEADLINE_MS; !(await quarterClosed()) && Date.now() < end;) await sleep(500);
  const open = (await db.cases.findOne({ _id: { $in: cases.map((c) => c.id) }, status: { $ne: 'closed' } }, { _id: 1 }).lean())?._id ?? cases.at(-1)!.id;
  // A moment for every client to notice the server is gone, then one request of each kind.
  const down = await world.outage(server, downS * 1000, () => sleep(2000).then(() => probeApi(world, open)));
  const back = Date.now();
  // What must be 503 while down: readiness, and what needs the missing server (the list reads
  // MongoDB; an action needs Temporal). A case read falls back to the projection without Temporal.
  const mustFail: Array<keyof ApiProbe> = server === 'mongo' ? ['readyz', 'list'] : ['readyz', 'action'];
  for (const k of mustFail) if (down[k] !== 503) violations.push(`${trial}: ${k} answered ${down[k]} while ${server} was down (want 503)`);
  for (const [k, status] of Object.entries(down)) if (status === 500) violations.push(`${trial}: ${k} answered 500 while ${server} was down`);
  // The case may have closed meanwhile, so the action may be refused (409); answered is enough.
  const answers = (p: ApiProbe) => p.readyz === 200 && p.list === 200 && p.read === 200 && p.action > 0 && p.action < 500;
  let up = await probeApi(world, open);
  while (!answers(up) && Date.now() - back < 120_000) {
    await sleep(1000);
    up = await probeApi(world, open);
  }
  const apiBackS = Math.round((Date.now() - back) / 1000);
  if (!answers(up)) violations.push(`${trial}: the API still answers ${JSON.stringify(up)} 120 s after ${server} came back`);
  if ((await done) === 'deadline') violations.push(`${trial}: not every case closed within ${TRIAL_DEADLINE_MS / 60_000} min`);
  const closedAfterRestartS = Math.round((Date.now() - back) / 1000);
  summary.push({
    trial,
    apiWhileDown: Object.entries(down).map(([k, st]) => `${k} ${st}`).join(', '),
    apiBackS,
    closedAfterRestartS,
    seconds: Math.round((Date.now() - t0) / 1000),
    retries: stats.retries,
    ...(await verify(world, db, trial, cases, 120_000)),
  });
}

/** Trial 5: malformed requests (bench/fuzz.ts) and the route × role table (bench/authorization.ts) against the API. */
async function apiChecks(world: World): Promise<void> {
  const fuzz = await fuzzApi(world, { requests: Number(flags['fuzz-requests']), seed: flags['fuzz-seed'] === undefined ? undefined : Number(flags['fuzz-seed']) });
  apiRows.push(['API fuzz', fuzz.row]);
  violations.push(...fuzz.violations.map((v) => `API fuzz: ${v}`));
  const matrix = await authorizationMatrix(world);
  apiRows.push(['authorization', matrix.row]);
  violations.push(...matrix.violations.map((v) => `authorization: ${v}`));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
