import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import execa from 'execa';
import pino from 'pino';
import {
  type Child,
  freePort,
  ready,
  sandboxEnv,
  startMongoWire,
  startTemporal,
  stopAll,
} from '../dev/stack/processes';
import { ROOT, TOOLS } from '../dev/paths';

/**
 * The outside check (docs/security.md, "Fuzzing the contract"): Schemathesis fuzzes the API from
 * its published contract (/openapi.json) with every check it has, once per caller kind (a
 * supervisor, a customer, a merchant). The API, worker and sandbox run as the image runs them, the
 * compiled JavaScript of `npm run build` (dist/server); the Temporal dev server and the MongoDB-wire
 * server are the ones the tests use. Run through scripts/schemathesis.sh, which installs
 * Schemathesis and builds first. Exit code: 0 when every run passed.
 *
 * SCHEMATHESIS_MAX_EXAMPLES bounds the examples per operation and phase (default 5: a few minutes for the three callers);
 * SCHEMATHESIS_SEED makes a run reproducible.
 */
const log = pino({ name: 'schemathesis' });
const ST = path.join(TOOLS, 'schemathesis', 'bin', 'st');
const SERVER = path.join(ROOT, 'dist', 'server');

/** A compiled entry point as its own process, as the image's command starts it. */
async function startCompiled(
  entry: string,
  opts: { name: string; port: number; env: Record<string, string>; logFile: string },
): Promise<Child> {
  const child = execa(process.execPath, ['--enable-source-maps', path.join(SERVER, entry)], {
    cwd: ROOT,
    env: opts.env,
    extendEnv: false,
    stdio: ['ignore', 'pipe', 'pipe'],
    all: true,
    cleanup: true,
    reject: false,
  });
  child.all?.pipe(createWriteStream(opts.logFile, { flags: 'a' }));
  return ready(child, opts.port, opts.name, 120_000);
}

/** A bearer token, minted the way a person gets one (`npm run token`). */
async function token(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await execa('npm', ['run', '-s', 'token', '--', ...args], { cwd: ROOT, env });
  return stdout.trim();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'schemathesis-'));
  const [temporalPort, mongoPort, sandboxPort, apiPort, metricsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const children: Child[] = [];
  const logFile = path.join(dir, 'stack.log');
  // Development mode: the dev secrets (tokens from `npm run token`), the API on loopback. Generous
  // rate limits: a fuzzer sends far more than a person, and a 429 is not what is being checked.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    COMPLAINT_DEV_MODE: '1',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_TASK_QUEUE: `schemathesis-${process.pid}`,
    MONGODB_URI: `mongodb://127.0.0.1:${mongoPort}/complaints`,
    ...sandboxEnv(`http://127.0.0.1:${sandboxPort}`),
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_DATA_FILE: path.join(dir, 'sandbox.json'),
    API_PORT: String(apiPort),
    WORKER_METRICS_PORT: String(metricsPort),
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    API_RATE_LIMIT_PER_ADDRESS: '1000000',
    API_AUTH_FAILURES_PER_ADDRESS: '1000000',
    API_READYZ_PER_ADDRESS: '1000000',
    API_DEV_TOKENS_PER_ADDRESS: '1000000',
    DATA_DIR: dir,
  };
  let failed = true;
  try {
    children.push(
      ...(await Promise.all([
        startTemporal({ port: temporalPort }),
        startMongoWire({ port: mongoPort, file: path.join(dir, 'mongo.mv') }),
      ])),
    );
    children.push(await startCompiled('sandbox/main.js', { name: 'sandbox', port: sandboxPort, env, logFile }));
    children.push(await startCompiled('workers/main.js', { name: 'worker', port: metricsPort, env, logFile }));
    children.push(await startCompiled('api/main.js', { name: 'API', port: apiPort, env, logFile }));
    log.info({ api: `http://127.0.0.1:${apiPort}`, logFile }, 'stack up (compiled API, worker and sandbox)');

    // A case of c-1 on the sandbox's demo order (sandbox/demo.ts) of m-1, so the fuzzer's
    // operations on a case (found through the links from the list) meet a real one, not only 404s.
    const customerToken = await token(['--role', 'customer', '--sub', 'c-1', '--customer', 'c-1'], env);
    const opened = await fetch(`http://127.0.0.1:${apiPort}/v1/complaints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'app',
        customer: { id: 'c-1', name: 'Li Lei' },
        order: { orderId: 'o-100', merchantId: 'm-1', sku: 'sku-9' },
        subType: 'quality_defect',
        description: 'The kettle leaks after two days',
        desiredOutcome: 'refund',
      }),
    });
    if (opened.status !== 201)
      throw new Error(`seeding a case: POST /v1/complaints answered ${opened.status} ${await opened.text()}`);

    const callers: Array<[string, string[]]> = [
      ['supervisor', ['--role', 'supervisor', '--sub', 'sup-1']],
      ['customer', ['--role', 'customer', '--sub', 'c-1', '--customer', 'c-1']],
      ['merchant', ['--role', 'merchant', '--sub', 'm-1', '--merchant', 'm-1']],
    ];
    const results: Array<{ caller: string; exitCode: number }> = [];
    for (const [caller, args] of callers) {
      const bearer = await token(args, env);
      const run = await execa(
        ST,
        [
          '--config-file',
          path.join(ROOT, 'scripts', 'schemathesis.toml'),
          'run',
          `http://127.0.0.1:${apiPort}/openapi.json`,
          '--checks',
          'all',
          '--header',
          `Authorization: Bearer ${bearer}`,
          '--max-examples',
          process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '5',
          ...(process.env.SCHEMATHESIS_SEED ? ['--seed', process.env.SCHEMATHESIS_SEED] : []),
          '--workers',
          '1',
          '--request-timeout',
          '30',
          '--no-color',
          // Nothing kept between runs: each CI run starts from the contract alone.
          '--generation-database',
          'none',
          '--report',
          'junit',
          '--report-dir',
          path.join(ROOT, 'dist', 'schemathesis', caller),
        ],
        { cwd: dir, stdio: 'inherit', reject: false },
      );
      results.push({ caller, exitCode: run.exitCode });
      log.info({ caller, exitCode: run.exitCode }, 'schemathesis run finished');
    }
    failed = results.some((r) => r.exitCode !== 0);
    log[failed ? 'error' : 'info'](
      { results, stackLog: logFile },
      failed ? 'schemathesis found failures' : 'schemathesis: every run passed',
    );
  } finally {
    await stopAll(children);
    if (!failed) rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err: unknown) => {
  log.error({ err: (err as Error).message }, 'schemathesis run could not start');
  process.exit(1);
});
