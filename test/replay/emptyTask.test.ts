import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { PATCHES } from '../../workflows/patches';

/**
 * docs/determinism.md, "A task without commands": the history of a case the simulation closed (seed
 * 202, case 192, on the code before `projection-after-settle`) that does not replay on that code. A
 * rating refused as "case closed" reached the case while the task that took the closing message's
 * result was running; the server scheduled the next task as that one completed, with no command, and
 * the projection's write came back before the next task started. The replay folds the empty task into
 * the next, so the message's result and the write's reach it in one activation: the write then looked
 * at the case before the message was logged and wrote once more, where the run completed.
 */

const FIXTURE = path.resolve(__dirname, '../fixtures/nondeterminism/empty-task/rating-refused-while-closing.json.gz');

interface Event {
  eventId: string;
  eventType: string;
  markerRecordedEventAttributes?: { details?: Record<string, { payloads?: Array<{ data?: string }> } | undefined> };
}
const json = JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')) as { events: Event[] };
const types = json.events.map((e) => e.eventType.replace('EVENT_TYPE_', ''));

it('holds a task that completed without a command, the next scheduled at once and a result recorded before it started', () => {
  // Empty tasks followed at once by the next are common (an update's task); this one also carries a
  // result recorded between the next task's scheduling and its start, which the folded replay meets.
  const folded = types.flatMap((t, i) =>
    t === 'WORKFLOW_TASK_COMPLETED' &&
    types[i + 1] === 'WORKFLOW_TASK_SCHEDULED' &&
    types[i + 2] !== 'WORKFLOW_TASK_STARTED'
      ? [Number(json.events[i].eventId)]
      : [],
  );
  expect(folded).toEqual([587]);
  expect(types.slice(587, 591)).toEqual([
    'WORKFLOW_TASK_SCHEDULED',
    'ACTIVITY_TASK_STARTED',
    'ACTIVITY_TASK_COMPLETED',
    'WORKFLOW_TASK_STARTED',
  ]);
  expect(types.at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
});

it('was written by the code before projection-after-settle (its patch markers lack it)', () => {
  const patches = json.events.flatMap((e) =>
    (e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map(
      (p) => (JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8')) as { id: string }).id,
    ),
  );
  expect(patches).toContain(PATCHES.processRev3.id);
  expect(patches).not.toContain(PATCHES.projectionAfterSettle.id);
});

it('fails to replay where the folded task writes the projection once more than the run did', async () => {
  const failure = await Worker.runReplayHistory(
    { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH ?? '' } },
    historyFromJSON(json),
    'rating-refused-while-closing',
  ).then(
    () => 'replayed',
    (err: unknown) => String(err),
  );
  expect(failure).toMatch(
    /TMPRL1100.*Activity machine does not handle this event: HistoryEvent\(id: 599, WorkflowExecutionCompleted\)/,
  );
}, 120_000);
