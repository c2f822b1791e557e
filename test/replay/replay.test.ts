import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../../dev/stack/harness';

/**
 * Every recorded history (test/histories/<generation>/, made by `npm run record-histories`, kept
 * gzipped by scripts/compact-histories.ts) must replay against today's workflow code: a change that
 * would break a running case fails here, in CI. A generation freshly recorded is plain .json until
 * it is compacted; both are read.
 */

const isHistory = (f: string) => (f.endsWith('.json') || f.endsWith('.json.gz')) && path.basename(f) !== 'markers.json';
const files = readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' }).filter(isHistory).sort();

function read(file: string): string {
  const raw = readFileSync(path.join(HISTORIES_DIR, file));
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

// One at a time, as the replay worker asks: the whole corpus converted at once is hundreds of
// megabytes of objects the garbage collector walks for the rest of the replay.
function* histories(only: string[] = files) {
  for (const file of only)
    yield { workflowId: file.replace(/\.json(\.gz)?$/, ''), history: historyFromJSON(JSON.parse(read(file))) };
}

interface StartedJSON {
  events?: Array<{ workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }>;
}

async function replayErrors(workflowBundle: { code: string } | { codePath: string }, only?: string[]) {
  const errors: Array<{ workflowId: string; error: string }> = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories(only))) {
    if (result.error) errors.push({ workflowId: result.workflowId, error: String(result.error) });
  }
  return errors;
}

it('has recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
});

// A few hundred histories (each generation keeps the shapes it added); the bound only guards
// against a hang.
it("replays every recorded history against today's workflow code", async () => {
  expect(await replayErrors({ codePath: process.env.WORKFLOW_BUNDLE_PATH ?? '' })).toEqual([]);
}, 1_800_000);

it('fails replay when the workflow code changes non-deterministically', async () => {
  // The same workflow, but it now starts every case with a timer it did not have before.
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./nondeterministic/workflows') });
  // One complaint history of each generation proves the check can fail; replaying all of them again
  // proves nothing more (a generation may also hold other workflows, which this change leaves alone).
  // Each generation's last complaint history, in file order; the workflow type is read from the JSON
  // of the files looked at, not from the whole corpus converted to protobuf a second time.
  const isComplaint = (f: string) =>
    (JSON.parse(read(f)) as StartedJSON).events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ===
    'complaintWorkflow';
  const generation = (f: string) => f.split(path.sep)[0];
  const oneOfEach: string[] = [];
  for (const f of [...files].reverse())
    if (!oneOfEach.some((seen) => generation(seen) === generation(f)) && isComplaint(f)) oneOfEach.push(f);
  // A generation recorded for another workflow alone (the case doctor's) has no complaint history to change.
  const othersOnly = [...new Set(files.map(generation))].filter((g) => !oneOfEach.some((f) => generation(f) === g));
  expect(othersOnly.every((g) => /doctor/.test(g))).toBe(true);
  const errors = await replayErrors({ code }, oneOfEach);
  expect(errors).toHaveLength(oneOfEach.length);
  for (const e of errors) expect(e.error).toMatch(/[Nn]ondetermin/);
}, 600_000);
