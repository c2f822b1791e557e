import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import execa from 'execa';
import { table } from '../dev/bench/report';
import { startClusterWorld } from '../dev/stack/clusterWorld';
import { apiKill, historyKill, TRIAL_POLICY, type TrialResult, workerKill } from '../dev/reliability/clusterTrials';
import { ROOT } from '../dev/paths';

/**
 * `npm run test:cluster`: one cluster (dev/stack/cluster.ts, two workers, two APIs behind the
 * balancer) on free loopback ports with its data in a temp dir, then
 *   1. the API suites (test/api) and the cluster's own checks (test/cluster/*.cluster-test.ts)
 *      under Jest against its Temporal frontend (test/cluster/jest.config.js);
 *   2. the reliability trials of dev/reliability/clusterTrials.ts: kill -9 one worker, the history service,
 *      one API process.
 * Ends with one line `cluster: N passed, N failed` over the Jest run and the trials; exits 1 on any failure.
 *
 *   npm run test:cluster -- [--cases 40] [--history-down 5] [--skip-jest]
 */

const { values: flags } = parseArgs({
  options: {
    cases: { type: 'string', default: '40' },
    'history-down': { type: 'string', default: '5' },
    'skip-jest': { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  // The trials' replay check runs a replay worker in this process; its state changes are not news.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const t0 = Date.now();
  console.log(
    'test:cluster: starting the cluster (PostgreSQL, Temporal frontend/history/matching/worker, 2 workers, 2 APIs)',
  );
  const world = await startClusterWorld({ workers: 2, policy: TRIAL_POLICY });
  console.log(
    `test:cluster: cluster up in ${Math.round((Date.now() - t0) / 1000)} s; Temporal at ${world.cluster.temporalAddress}, API at ${world.apiUrl}`,
  );
  process.once('SIGINT', () => void world.close().finally(() => process.exit(130)));
  let passed = 0;
  let failed = 0;
  try {
    if (!flags['skip-jest']) {
      const jest = await execa(
        'npx',
        [
          'jest',
          '--config',
          path.join(ROOT, 'test', 'cluster', 'jest.config.js'),
          '--json',
          '--outputFile',
          path.join(world.dir, 'jest.json'),
        ],
        {
          cwd: ROOT,
          stdio: 'inherit',
          reject: false,
          env: {
            CLUSTER_TEMPORAL_ADDRESS: world.cluster.temporalAddress,
            CLUSTER_MONGODB_URI: `mongodb://127.0.0.1:${world.cluster.ports.mongo}/complaints-test`,
            CLUSTER_NAMESPACE: world.env.TEMPORAL_NAMESPACE,
            WORKFLOW_BUNDLE_PATH: world.bundlePath,
          },
        },
      );
      const report = JSON.parse(readFileSync(path.join(world.dir, 'jest.json'), 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numRuntimeErrorTestSuites: number;
      };
      passed += report.numPassedTests;
      failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
      if (jest.exitCode !== 0 && failed === 0) failed++;
    }
    const n = Number(flags.cases);
    const results: TrialResult[] = [];
    for (const run of [
      () => workerKill(world, n),
      () => historyKill(world, n, Number(flags['history-down'])),
      () => apiKill(world, n),
    ]) {
      const r = await run();
      console.log(`test:cluster: ${r.trial}: ${r.violations.length ? `${r.violations.length} violation(s)` : 'ok'}`);
      results.push(r);
    }
    table(
      'reliability trials on the cluster',
      results.map((r) => r.row),
    );
    for (const r of results) {
      for (const v of r.violations) console.log(`VIOLATION: ${v}`);
      if (r.violations.length) failed++;
      else passed++;
    }
  } finally {
    await world.close();
  }
  console.log(`\ntest:cluster took ${Math.round((Date.now() - t0) / 1000)} s`);
  console.log(`cluster: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
