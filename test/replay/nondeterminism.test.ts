import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../../dev/stack/harness';

/**
 * Histories the workflow wrote that do not replay on the code that wrote them (the reliability run,
 * worker kill -9 under load), kept as evidence: test/fixtures/nondeterminism/. Each records the
 * SDK's fault described in docs/determinism.md: an update the workflow handled after the other jobs
 * of its workflow task is replayed before them. No workflow code can replay such a history (the
 * update's acceptance is placed by the SDK, not by the workflow); the guard in workflows/guards.ts
 * is there to keep new ones from being written, and did not hold once (docs/determinism.md). If an
 * SDK upgrade makes them replay, this suite says so.
 */

const FIXTURES = path.resolve(__dirname, '../fixtures/nondeterminism');
const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();

type Event = {
  eventId: string;
  eventType: string;
  workflowExecutionUpdateAcceptedEventAttributes?: {
    acceptedRequestSequencingEventId?: string;
    acceptedRequest?: { input?: { name?: string } };
  };
};

function readJson(file: string): { events: Event[] } {
  const raw = readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as { events: Event[] };
}

/**
 * Updates accepted after other commands of their workflow task. A replay hands a task's updates to
 * the workflow before the task's other jobs (results, timers), so its commands start with an
 * update's acceptance whenever the task accepted one. A task whose commands hold an acceptance but
 * begin with something else (an activity scheduled, a timer, a search attribute) handled the update
 * after other jobs: that history no longer replays. The first task is left out: there the workflow
 * registers its handlers, and runs, before the update that started it.
 */
function updatesAcceptedLate(events: Event[]): Array<{ update: string; acceptedAt: number; after: string }> {
  const late: Array<{ update: string; acceptedAt: number; after: string }> = [];
  let task = 0;
  let first: Event | undefined;
  let inCommands = false;
  for (const e of events) {
    const type = e.eventType.replace('EVENT_TYPE_', '');
    if (type === 'WORKFLOW_TASK_COMPLETED') {
      task++;
      inCommands = true;
      first = undefined;
      continue;
    }
    if (!inCommands) continue;
    if (!COMMAND_EVENTS.some((c) => type.startsWith(c))) {
      inCommands = false;
      continue;
    }
    first ??= e;
    const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted && task > 1 && first !== e && !first.eventType.includes('WORKFLOW_EXECUTION_UPDATE_')) {
      late.push({
        update: accepted.acceptedRequest?.input?.name ?? '?',
        acceptedAt: Number(e.eventId),
        after: `${first.eventType.replace('EVENT_TYPE_', '')} ${first.eventId}`,
      });
    }
  }
  return late;
}

/** Events a workflow task's commands and update messages write. */
const COMMAND_EVENTS = [
  'ACTIVITY_TASK_SCHEDULED',
  'TIMER_STARTED',
  'TIMER_CANCELED',
  'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  'MARKER_RECORDED',
  'WORKFLOW_PROPERTIES_MODIFIED',
  'WORKFLOW_EXECUTION_COMPLETED',
  'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
  'WORKFLOW_EXECUTION_UPDATE_',
  'SIGNAL_EXTERNAL',
  'REQUEST_CANCEL_EXTERNAL',
  'START_CHILD',
];

it("has the reliability run's histories that did not replay", () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(1);
});

it('each fixture holds an update accepted after the other commands of its task', () => {
  for (const f of fixtures) {
    const late = updatesAcceptedLate(readJson(path.join(FIXTURES, f)).events);
    expect({ f, late: late.length > 0 }).toEqual({ f, late: true });
  }
});

it('no recorded generation holds one: every history that replays has its updates first in their task', () => {
  const files = readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' }).filter(
    (f) => (f.endsWith('.json') || f.endsWith('.json.gz')) && path.basename(f) !== 'markers.json',
  );
  expect(files.length).toBeGreaterThanOrEqual(10);
  const found = files.flatMap((f) =>
    updatesAcceptedLate(readJson(path.join(HISTORIES_DIR, f)).events).map((l) => ({ f, ...l })),
  );
  expect(found).toEqual([]);
});

it("each fixture fails to replay at the late update, with the SDK's nondeterminism error", async () => {
  const histories = fixtures.map((f) => ({
    workflowId: f,
    history: historyFromJSON(readJson(path.join(FIXTURES, f))),
  }));
  const errors = new Map<string, string>();
  for await (const r of Worker.runReplayHistories(
    { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH ?? '' } },
    histories,
  )) {
    errors.set(r.workflowId, r.error ? String(r.error) : 'replayed');
  }
  for (const f of fixtures) {
    const [first] = updatesAcceptedLate(readJson(path.join(FIXTURES, f)).events);
    // The replay parts where the original placed a command of the other jobs before the update's acceptance.
    expect(errors.get(f)).toMatch(
      new RegExp(
        `TMPRL1100.*Update machine does not handle this event: HistoryEvent\\(id: ${first.after.split(' ')[1]}, `,
      ),
    );
  }
}, 300_000);
