import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { openStore } from '../store/connection';
import { table } from '../dev/bench/report';
import { type EndState, TRIAL_POLICY, endState, openTrialRun } from '../dev/reliability/run';
import {
  apiChecks,
  paymentOutage,
  providerRefusals,
  serverOutage,
  skewedClock,
  workerKills,
} from '../dev/reliability/trials';
import { startWorld } from '../dev/stack/world';
import { ROOT } from '../dev/paths';

/**
 * `npm run test:reliability`: trials on one stack (dev/stack/world.ts; the worker is the real
 * `workers/main.ts` in a child process, with the case doctor it starts), each a set of cases driven
 * from intake through a partial refund or a compensation (so a second payment would be accepted and
 * show) to close while something breaks, then checked: every case closed as resolved, its step paid
 * exactly once and never more than the order (the sandbox's log of every payment request: accepted,
 * repeated key, refused), every history replays against the workflow code (one that does not is
 * saved to bench-results/reliability-<run>/), no case left stuck (the doctor mends what the SDK
 * breaks: workflows/doctor.ts), and the MongoDB projection and audit log match the workflow. Cases
 * are read through the API, as staff do (the API and the Web UI are the only query senders).
 * Prints a table per trial, the payment requests of every case that made more than one, and a
 * summary line last; exits 1 on any violation. Loopback only; every wait is bounded.
 *
 *   1. kill -9 the worker --kills times, each while a payment request is in flight at the gateway
 *      (the sandbox carries it out and holds its answer)
 *   2. the payment gateway answers 503 to everything for --outage seconds
 *   3. the SMS gateway and the merchant portal refuse (4xx) every request for the whole trial
 *   4. a second worker beside the first with its clock --skew-s seconds ahead
 *   5. kill -9 of the MongoDB-wire server --server-kills times mid-run (down --mongo-down seconds)
 *   6. kill -9 of the Temporal dev server --server-kills times mid-run (down --temporal-down seconds)
 *   7. malformed requests to the API (--fuzz-requests, --fuzz-seed) and every route × role × own/other case
 *
 * While a server is down the API (a child process, as in production) must answer 503 where it
 * needs that server, and answer again once it is back.
 *
 *   npm run test:reliability -- [--cases 200] [--kill-every 20] [--kills 6] [--outage 60]
 *                               [--outage-cases 20] [--refusal-cases 20] [--skew-cases 20] [--skew-s 300]
 *                               [--mongo-cases 40] [--mongo-down 10] [--temporal-cases 40] [--temporal-down 15]
 *                               [--server-kills 3] [--fuzz-requests 10000] [--fuzz-seed N]
 *                               [--trials api,kills,payments,refusals,clock,mongo,temporal]   (which to run; all by default)
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
    'server-kills': { type: 'string', default: '3' },
    'refusal-cases': { type: 'string', default: '20' },
    'skew-cases': { type: 'string', default: '20' },
    'skew-s': { type: 'string', default: '300' },
    'fuzz-requests': { type: 'string', default: '10000' },
    'fuzz-seed': { type: 'string' },
    trials: { type: 'string', default: 'api,kills,payments,refusals,clock,mongo,temporal' },
  },
});
const RUN = Date.now().toString(36);
const HISTORIES_DIR = path.join(ROOT, 'bench-results', `reliability-${RUN}`);

async function main(): Promise<void> {
  // The replay check runs a replay worker in this process; its state changes are not news.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // The workers' logs (the SDK's warnings: slow or timed-out workflow tasks) stay with the run's results.
  const world = await startWorld({ api: true, logDir: HISTORIES_DIR, policy: TRIAL_POLICY });
  process.once('SIGINT', () => void world.close().finally(() => process.exit(130)));
  const db = await openStore(world.mongoUri, { serverSelectionTimeoutMS: 30_000 });
  const run = openTrialRun(RUN, HISTORIES_DIR, world, db);
  let end: EndState | undefined;
  try {
    const trials = new Set(flags.trials.split(','));
    const kills = Number(flags['server-kills']);
    if (trials.has('api'))
      await apiChecks(run, {
        requests: Number(flags['fuzz-requests']),
        seed: flags['fuzz-seed'] === undefined ? undefined : Number(flags['fuzz-seed']),
      });
    if (trials.has('kills'))
      await workerKills(run, {
        cases: Number(flags.cases),
        kills: Number(flags.kills),
        everyS: Number(flags['kill-every']),
      });
    if (trials.has('payments'))
      await paymentOutage(run, { cases: Number(flags['outage-cases']), downS: Number(flags.outage) });
    if (trials.has('refusals')) await providerRefusals(run, Number(flags['refusal-cases']));
    if (trials.has('clock'))
      await skewedClock(run, { cases: Number(flags['skew-cases']), skewS: Number(flags['skew-s']) });
    if (trials.has('mongo'))
      await serverOutage(run, 'mongo', {
        cases: Number(flags['mongo-cases']),
        downS: Number(flags['mongo-down']),
        kills,
      });
    if (trials.has('temporal'))
      await serverOutage(run, 'temporal', {
        cases: Number(flags['temporal-cases']),
        downS: Number(flags['temporal-down']),
        kills,
      });
    end = await endState(run);
  } finally {
    await db.connection.close();
    await world.close();
  }
  const { violations, money: moneyRows } = run;
  table('reliability', run.summary);
  for (const [title, row] of run.apiRows) table(title, [row]);
  const notOnce = moneyRows.filter((m) => m.requests !== 1 || m.paidTwice || m.paidMoreThanOrder || m.lost);
  table(
    `payment requests per case (${moneyRows.length} cases; every case not listed made exactly one request, accepted; all in ${HISTORIES_DIR}/payments.json)`,
    notOnce.map(
      ({
        trial,
        complaintId,
        requests,
        distinctKeys,
        accepted,
        repeated,
        refused,
        movedFen,
        paidTwice,
        paidMoreThanOrder,
      }) => ({
        trial,
        complaintId,
        requests,
        distinctKeys,
        accepted,
        repeated,
        refused,
        movedFen,
        paidTwice,
        paidMoreThanOrder,
      }),
    ),
  );
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, 'payments.json'), JSON.stringify(moneyRows, null, 1));
  if (end?.repairs.length) table(`cases the doctor reset (every run's history in ${HISTORIES_DIR})`, end.repairs);
  for (const v of violations) console.log(`VIOLATION: ${v}`);
  const sum = (k: 'paidTwice' | 'requests') => moneyRows.reduce((n, m) => n + m[k], 0);
  const lost = moneyRows.filter((m) => m.lost).length;
  const more = moneyRows.filter((m) => m.paidMoreThanOrder).length;
  const reads = end?.reads;
  console.log(
    `\nreliability: ${run.cases.length} cases, ${lost} lost, ${end?.stuck ?? '?'} stuck at the end (doctor mended ${end?.mended ?? '?'}), ` +
      `${sum('paidTwice')} paid twice, ${more} paid more than the order, ${sum('requests')} payment requests; ` +
      `case reads through the API answered by a workflow query: ${reads ? `${reads.query} of ${reads.total} (${reads.total ? Math.round((100 * reads.query) / reads.total) : 0}%)` : '?'}; ` +
      `${violations.length ? `${violations.length} violation(s)` : 'no violations'}`,
  );
  process.exit(violations.length ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
