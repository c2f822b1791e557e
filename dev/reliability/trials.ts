import path from 'node:path';
import { signToken } from '../../api/auth';
import { caseViewQuery } from '../../shared/messages';
import { AGENT } from '../bench/lifecycle';
import { ROOT } from '../paths';
import type { World } from '../stack/world';
import { authorizationMatrix } from './authorization';
import { fuzzApi } from './fuzz';
import { killWorker } from './kills';
import { TRIAL_DEADLINE_MS, type TrialRun, acceptedByCase, fault, newCases, runAll, sleep, verify } from './run';

/**
 * The trials of `npm run test:reliability` (docs/reliability.md says what each breaks): each
 * makes its cases, drives them to their close while something breaks, and ends with run.ts's checks.
 */

export interface WorkerKillsOptions {
  cases: number;
  kills: number;
  /** Seconds between kills. */
  everyS: number;
}

export interface PaymentOutageOptions {
  cases: number;
  downS: number;
}

export interface SkewedClockOptions {
  cases: number;
  skewS: number;
}

export interface ServerOutageOptions {
  cases: number;
  downS: number;
  kills: number;
}

/**
 * Trial 1: the worker process is SIGKILLed again and again, each time while a payment request is in
 * flight: the gateway carries out the next payment and holds its answer, and the kill lands while it
 * holds it. The next worker must retry with the same key (a repeated key at the gateway), never a new one.
 */
export async function workerKills(run: TrialRun, options: WorkerKillsOptions): Promise<void> {
  const { world } = run;
  const trial = 'worker kill -9, money in flight';
  const cases = await newCases(run, 'k', options.cases);
  const t0 = Date.now();
  const { stats, done } = runAll(run, trial, cases);
  let kills = 0;
  let aimed = 0;
  while (kills < options.kills) {
    if (await Promise.race([done, sleep(options.everyS * 1000)])) break;
    await fault(world, 'POST', { service: 'payments', mode: 'hold', rate: 1, count: 1 });
    let held = 0;
    for (const end = Date.now() + 60_000; !held && Date.now() < end;) {
      held = ((await (await fetch(`${world.sandboxUrl}/_faults/held`)).json()) as { held: number }).held;
      if (!held) await sleep(100);
    }
    if (held) aimed++;
    else await fault(world, 'DELETE');
    await killWorker(world);
    kills++;
    console.log(
      `  ${trial}: killed the worker (${kills}, ${held ? 'a payment answer held' : 'no payment in flight within 60 s'}) at ${Math.round((Date.now() - t0) / 1000)} s; started another`,
    );
  }
  if ((await done) === 'deadline')
    run.violations.push(`${trial}: not every case closed within ${TRIAL_DEADLINE_MS / 60_000} min`);
  run.summary.push({
    trial,
    kills,
    aimedAtPayment: aimed,
    seconds: Math.round((Date.now() - t0) / 1000),
    retries: stats.retries,
    ...(await verify(run, trial, cases)),
  });
}

/** Trial 2: the payment gateway fails every call for a while; refunds wait, then each is paid once. */
export async function paymentOutage(run: TrialRun, options: PaymentOutageOptions): Promise<void> {
  const { world } = run;
  const trial = `payments down ${options.downS} s`;
  const cases = await newCases(run, 'p', options.cases);
  await fault(world, 'POST', { service: 'payments', mode: 'error', rate: 1 });
  const t0 = Date.now();
  const { stats, done } = runAll(run, trial, cases);
  await sleep(options.downS * 1000);
  const [armed] = (await (await fetch(`${world.sandboxUrl}/_faults`)).json()) as Array<{ hits: number }>;
  const during = await acceptedByCase(world);
  const paidDuringOutage = cases.filter((c) => during.has(c.id)).length;
  const statuses = await Promise.all(
    cases.map((c) =>
      world.client.workflow
        .getHandle(c.id)
        .query(caseViewQuery)
        .then(
          (v) => v.status,
          () => 'unknown',
        ),
    ),
  );
  const waiting = cases.filter((_, i) => statuses[i] === 'executing');
  // Staff reading a waiting case through the API see its refund being retried.
  const token = await signToken(world.env.JWT_SECRET, { sub: AGENT.sub, role: 'agent' });
  const shown = await Promise.all(
    waiting.map(async (c) => {
      const res = await fetch(`${world.apiUrl}/v1/complaints/${c.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { retrying?: Array<{ activity: string; attempt: number }> };
      return body.retrying?.some((r) => r.activity === 'payRefund' && r.attempt >= 2) ?? false;
    }),
  );
  const showingRetry = shown.filter(Boolean).length;
  if (showingRetry < waiting.length)
    run.violations.push(
      `${trial}: ${waiting.length - showingRetry} of ${waiting.length} waiting case(s) do not show the refund's retries`,
    );
  if (paidDuringOutage)
    run.violations.push(`${trial}: ${paidDuringOutage} payment(s) accepted while the gateway was down`);
  if (!armed?.hits) run.violations.push(`${trial}: no payment call reached the gateway during the outage`);
  await fault(world, 'DELETE');
  const restored = Date.now();
  if ((await done) === 'deadline')
    run.violations.push(`${trial}: not every case closed within ${TRIAL_DEADLINE_MS / 60_000} min`);
  const after = await acceptedByCase(world);
  const lastPaid = Math.max(...cases.map((c) => Date.parse(after.get(c.id)?.[0]?.at ?? '0')));
  run.summary.push({
    trial,
    failedPaymentCalls: armed?.hits ?? 0,
    waitingAtRestore: waiting.length,
    showingRetry,
    paidDuringOutage,
    lastRefundAfterRestoreS: Math.round((lastPaid - restored) / 1000),
    seconds: Math.round((Date.now() - t0) / 1000),
    retries: stats.retries,
    ...(await verify(run, trial, cases)),
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
 * Trial 3: the SMS gateway and the merchant portal refuse every request (4xx) for the whole trial.
 * Their messages and notices are lost to the case, never its end: every case must still close
 * resolved and paid once. The customer, who gets no callback SMS, rates in the app.
 */
export async function providerRefusals(run: TrialRun, count: number): Promise<void> {
  const { world } = run;
  const trial = 'SMS and merchant portal refuse (4xx)';
  // The satisfaction callback is an SMS the gateway refuses: the customer rates in the app instead.
  const cases = (await newCases(run, 'r', count)).map((c) => Object.assign(c, { ratesInApp: true }));
  await fault(world, 'POST', { service: 'sms', mode: 'decline', rate: 1 });
  await fault(world, 'POST', { service: 'merchants', mode: 'decline', rate: 1 });
  const t0 = Date.now();
  const { stats, done } = runAll(run, trial, cases);
  const finished = await done;
  const armed = (await (await fetch(`${world.sandboxUrl}/_faults`)).json()) as Array<{ service: string; hits: number }>;
  await fault(world, 'DELETE');
  if (finished === 'deadline')
    run.violations.push(`${trial}: not every case closed within ${TRIAL_DEADLINE_MS / 60_000} min`);
  const hits = Object.fromEntries(armed.map((f) => [f.service, f.hits]));
  if (!hits.sms) run.violations.push(`${trial}: no SMS request met the refusal`);
  run.summary.push({
    trial,
    refusedSms: hits.sms ?? 0,
    refusedMerchant: hits.merchants ?? 0,
    seconds: Math.round((Date.now() - t0) / 1000),
    retries: stats.retries,
    ...(await verify(run, trial, cases)),
  });
}

/**
 * Trial 4: a second worker runs beside the first with its clock --skew-s ahead (its JavaScript Date:
 * dev/reliability/skew-clock.mjs), so activities of the same cases run on two clocks.
 */
export async function skewedClock(run: TrialRun, options: SkewedClockOptions): Promise<void> {
  const { world } = run;
  const { skewS } = options;
  const trial = `a worker's clock ${skewS} s ahead`;
  const cases = await newCases(run, 's', options.cases);
  const skewed = await world.startWorker({
    name: 'skewed worker',
    env: {
      NODE_OPTIONS: `--import ${path.join(ROOT, 'dev/reliability/skew-clock.mjs')}`,
      CLOCK_SKEW_MS: String(skewS * 1000),
    },
  });
  const t0 = Date.now();
  const { stats, done } = runAll(run, trial, cases);
  const finished = await done;
  skewed.process.kill('SIGTERM');
  await skewed.process;
  world.procs.delete('skewed worker');
  if (finished === 'deadline')
    run.violations.push(`${trial}: not every case closed within ${TRIAL_DEADLINE_MS / 60_000} min`);
  run.summary.push({
    trial,
    seconds: Math.round((Date.now() - t0) / 1000),
    retries: stats.retries,
    ...(await verify(run, trial, cases)),
  });
}

/**
 * Trials 5 and 6: a server is killed (-9) --server-kills times mid-run and comes back on the same
 * data file. Cases resume, the projection catches up, and the API answers 503 for what needs the
 * missing server (and for readiness) while it is down, and answers again once it is back.
 */
export async function serverOutage(
  run: TrialRun,
  server: 'mongo' | 'temporal',
  options: ServerOutageOptions,
): Promise<void> {
  const { world, db } = run;
  const { cases: count, downS, kills } = options;
  const trial = `${server === 'mongo' ? 'MongoDB' : 'Temporal'} kill -9 ×${kills}, down ${downS} s`;
  const cases = await newCases(run, server[0], count);
  const t0 = Date.now();
  const { stats, done } = runAll(run, trial, cases);
  // Spread over the run: the first kill when a fifth of the cases closed, the others further on.
  // Closed as Temporal says, not the projection: a MongoDB kill can lose a case's last projection
  // write (see verify in run.ts), and a count that never reaches the target held the next kill for 15 min.
  const closed = async () =>
    (
      await Promise.all(
        cases.map((c) =>
          world.client.workflow
            .getHandle(c.id)
            .describe()
            .then((d) => d.status.name === 'COMPLETED'),
        ),
      )
    ).filter(Boolean).length;
  let down: ApiProbe | undefined;
  let apiBackS = 0;
  let back = Date.now();
  for (let k = 1; k <= kills; k++) {
    const target = (cases.length * k) / (kills + 2);
    for (const end = Date.now() + TRIAL_DEADLINE_MS; (await closed().catch(() => 0)) < target && Date.now() < end;)
      await sleep(500);
    const open =
      (
        await db.cases
          .findOne({ _id: { $in: cases.map((c) => c.id) }, status: { $ne: 'closed' } }, { _id: 1 })
          .lean()
          .catch(() => null)
      )?._id ?? cases.at(-1)!.id;
    // The first time, a moment for every client to notice the server is gone, then one request of each kind.
    const found = await world.outage(
      server,
      downS * 1000,
      () => (k === 1 ? sleep(2000).then(() => probeApi(world, open)) : Promise.resolve(undefined)),
      true,
    );
    console.log(`  ${trial}: killed ${server} (${k}) at ${Math.round((Date.now() - t0) / 1000)} s; started again`);
    back = Date.now();
    if (k > 1) continue;
    down = found;
    // What must be 503 while down: readiness, and what needs the missing server (the list reads
    // MongoDB; an action needs Temporal). A case read falls back to the projection without Temporal.
    const mustFail: Array<keyof ApiProbe> = server === 'mongo' ? ['readyz', 'list'] : ['readyz', 'action'];
    for (const key of mustFail)
      if (found?.[key] !== 503)
        run.violations.push(`${trial}: ${key} answered ${found?.[key]} while ${server} was down (want 503)`);
    for (const [key, status] of Object.entries(found ?? {}))
      if (status === 500) run.violations.push(`${trial}: ${key} answered 500 while ${server} was down`);
    // The case may have closed meanwhile, so the action may be refused (409); answered is enough.
    const answers = (p: ApiProbe) =>
      p.readyz === 200 && p.list === 200 && p.read === 200 && p.action > 0 && p.action < 500;
    let up = await probeApi(world, open);
    while (!answers(up) && Date.now() - back < 120_000) {
      await sleep(1000);
      up = await probeApi(world, open);
    }
    apiBackS = Math.round((Date.now() - back) / 1000);
    if (!answers(up))
      run.violations.push(`${trial}: the API still answers ${JSON.stringify(up)} 120 s after ${server} came back`);
  }
  if ((await done) === 'deadline')
    run.violations.push(`${trial}: not every case closed within ${TRIAL_DEADLINE_MS / 60_000} min`);
  const closedAfterRestartS = Math.round((Date.now() - back) / 1000);
  run.summary.push({
    trial,
    apiWhileDown: Object.entries(down ?? {})
      .map(([k, st]) => `${k} ${st}`)
      .join(', '),
    apiBackS,
    closedAfterRestartS,
    seconds: Math.round((Date.now() - t0) / 1000),
    retries: stats.retries,
    ...(await verify(run, trial, cases, 120_000)),
  });
}

/** Trial 7: malformed requests (dev/reliability/fuzz.ts) and the route × role table (dev/reliability/authorization.ts) against the API. */
export async function apiChecks(run: TrialRun, fuzz: Parameters<typeof fuzzApi>[1]): Promise<void> {
  const { world } = run;
  const fuzzed = await fuzzApi(world, fuzz);
  run.apiRows.push(['API fuzz', fuzzed.row]);
  run.violations.push(...fuzzed.violations.map((v) => `API fuzz: ${v}`));
  const matrix = await authorizationMatrix(world);
  run.apiRows.push(['authorization', matrix.row]);
  run.violations.push(...matrix.violations.map((v) => `authorization: ${v}`));
}
