import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { ROOT } from '../../paths';
import { freePort, startTemporal, stopAll } from '../../stack/processes';
import { nudgeSignal, respondUpdate, stateQuery } from './workflows';

/**
 * `npm run repro:cold-query -- [--cases 300] [--act update|signal] [--rule none|sameTask|unwrittenMove]
 * [--refuse-run-ahead] [--kill-every 6]`: the SDK's ordering bug on demand (docs/determinism.md).
 * Each case is read by query until it is "awaiting", then sent the update until it takes it (or the
 * signal, once), while the worker (cache of 3) is killed with SIGKILL every --kill-every seconds
 * (±50 %); then every history is replayed and those that do not replay are written to
 * bench-results/. `--refuse-run-ahead` bundles the complaint workflow's run-ahead watch
 * (workflows/activations.ts) with the workflows.
 */
const { values: flags } = parseArgs({
  options: {
    cases: { type: 'string', default: '300' },
    act: { type: 'string', default: 'update' },
    rule: { type: 'string', default: 'sameTask' },
    'refuse-run-ahead': { type: 'boolean', default: false },
    'kill-every': { type: 'string', default: '6' },
  },
});
const RULES: Record<string, string> = { none: 'noRule', sameTask: 'sameTaskRule', unwrittenMove: 'unwrittenMoveRule' };
const WORKFLOW = flags.act === 'signal' ? 'signalled' : RULES[flags.rule];
if (!WORKFLOW) throw new Error(`--rule ${flags.rule}: one of ${Object.keys(RULES).join(', ')}`);
const RUN = `cold-query-${Date.now().toString(36)}`;
const OUT_DIR = path.join(ROOT, 'bench-results', RUN);
const TASK_QUEUE = 'repro-cold-query';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const bundle = path.join(OUT_DIR, 'workflow-bundle.js');
  const workflowsPath = path.join(__dirname, 'workflows.ts');
  const workflowInterceptorModules = flags['refuse-run-ahead'] ? [path.join(ROOT, 'workflows', 'activations.ts')] : [];
  writeFileSync(bundle, (await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules })).code);
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const server = await startTemporal({ port });
  const client = new Client({ connection: await Connection.connect({ address }) });

  const startWorker = (): ChildProcess =>
    spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), address, TASK_QUEUE, bundle], {
      stdio: 'ignore',
    });
  let worker = startWorker();
  let kills = 0;
  let driving = true;
  const killer = (async () => {
    const everyMs = Number(flags['kill-every']) * 1000;
    while (driving) {
      await sleep(everyMs * (0.5 + Math.random()));
      if (!driving) break;
      worker.kill('SIGKILL');
      kills++;
      worker = startWorker();
    }
  })();

  const n = Number(flags.cases);
  const counts = { refusedUnavailable: 0, refusedWrongStage: 0, sendErrors: 0, queryErrors: 0 };
  const queryErrorKinds = new Set<string>();
  const ids = Array.from({ length: n }, (_, i) => `${RUN}-${i}`);
  await Promise.all(
    ids.map(async (workflowId, i) => {
      await sleep(i * 20);
      const handle = await client.workflow.start(WORKFLOW, { taskQueue: TASK_QUEUE, workflowId });
      for (;;) {
        const state = await handle.query(stateQuery).catch((err: unknown) => {
          counts.queryErrors++;
          queryErrorKinds.add(`${(err as Error).constructor.name}: ${String((err as Error).message).slice(0, 160)}`);
          return 'unknown';
        });
        if (state === 'awaiting' && flags.act === 'signal') {
          await handle.signal(nudgeSignal);
          return;
        }
        if (state === 'awaiting') {
          try {
            await handle.executeUpdate(respondUpdate, { updateId: `${workflowId}:respond` });
            return;
          } catch (err) {
            const reason = err instanceof WorkflowUpdateFailedError ? err.cause?.message : undefined;
            if (reason === 'unavailable') counts.refusedUnavailable++;
            else if (reason === 'wrong_stage') counts.refusedWrongStage++;
            else counts.sendErrors++;
          }
        }
        await sleep(Math.random() * 30);
      }
    }),
  );
  driving = false;
  await killer;

  let notReplaying = 0;
  for (const workflowId of ids) {
    const handle = client.workflow.getHandle<() => Promise<string>>(workflowId);
    const answer = await handle.result();
    const history = await handle.fetchHistory();
    const failure = await Worker.runReplayHistory({ workflowBundle: { codePath: bundle } }, history).then(
      () => null,
      (err: unknown) => String(err),
    );
    if (failure === null) continue;
    notReplaying++;
    writeFileSync(path.join(OUT_DIR, `${workflowId}.json`), historyToJSON(history));
    console.log(`${workflowId} (${answer}) does not replay: ${failure.slice(0, 300)}`);
  }
  worker.kill('SIGKILL');
  await stopAll([server]);
  for (const kind of [...queryErrorKinds].slice(0, 8)) console.log(`query failed: ${kind}`);
  console.log(
    `repro:cold-query: ${flags.act === 'signal' ? 'signal' : `rule ${flags.rule}`}` +
      `${flags['refuse-run-ahead'] ? ', run-ahead refused' : ''}, ${n} cases, ${kills} worker kills, ` +
      `${counts.queryErrors} queries failed, ` +
      `${counts.refusedUnavailable} updates refused as unavailable, ${counts.refusedWrongStage} as wrong_stage, ` +
      `${counts.sendErrors} send errors; ${notReplaying} of ${n} histories do not replay (${OUT_DIR})`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
