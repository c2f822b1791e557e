import path from 'node:path';
import { generations, historyFiles, readHistory, scrubMachinePaths } from '../../dev/histories';

/**
 * The replay corpus names no machine: the stack traces that recorded failures carry are kept
 * repository-relative (scripts/compact-histories.ts scrubs them when a generation is compacted).
 */

const HISTORIES = path.resolve(__dirname, '../histories');
const MACHINE_PATH = /(?:^|[\s(])\/(?:work|check|home|root|tmp|Users)\//;

it('scrubs a recorded stack trace to the repository', () => {
  const recorded = JSON.stringify({
    failure: {
      stackTrace:
        'Error: down\n    at call (/work/wt/x/activities/http.ts:147:11)\n    at /check/work/main/node_modules/@temporalio/common/lib/failure.js:9:1',
    },
  });
  const scrubbed = JSON.parse(scrubMachinePaths(recorded)) as { failure: { stackTrace: string } };
  expect(scrubbed.failure.stackTrace).toBe(
    'Error: down\n    at call (<repo>/activities/http.ts:147:11)\n    at <repo>/node_modules/@temporalio/common/lib/failure.js:9:1',
  );
});

it.each(generations(HISTORIES))('generation %s names no machine path', (generation) => {
  const named = historyFiles(path.join(HISTORIES, generation)).filter((file) => {
    const traces =
      JSON.stringify(readHistory(path.join(HISTORIES, generation, file))).match(/"stackTrace":"(?:[^"\\]|\\.)*"/g) ??
      [];
    return traces.some((t) => MACHINE_PATH.test(t.replace(/\\n/g, '\n')));
  });
  expect(named).toEqual([]);
});
