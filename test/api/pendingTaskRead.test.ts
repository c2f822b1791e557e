import type { Client } from '@temporalio/client';
import { QueryNotRegisteredError } from '@temporalio/client';
import { createCaseGateway } from '../../api/cases';
import { toAnswer } from '../../api/errors';
import type { CaseViewV1, TimelineEntryV1 } from '../../shared/caseView';
import { QUERY_RUN_AHEAD_REFUSED } from '../../shared/errors';
import { appendAudit } from '../../store/audit';
import { writeCase } from '../../store/cases';
import type { Store } from '../../store/connection';
import { caseView } from '../../dev/builders';
import { dropStore, freshStore } from '../store/fixtures';

/**
 * A query on a case whose workflow task is pending is what has a worker that does not hold the case
 * run it ahead on results no task has written (docs/determinism.md); the workflow refuses that, so
 * the query fails. The API must not send one then: the projection holds the case as its last
 * completed task left it. Only a projection write still pending makes it ask the workflow.
 */

const staff = { sub: 'agent-7', role: 'agent' as const };
let store: Store;
beforeAll(async () => {
  store = await freshStore('pending-task-read');
});
afterAll(async () => {
  await dropStore(store);
});

const at = '2026-12-08T10:00:00.000Z';
const entry = (seq: number, action: string): TimelineEntryV1 => ({
  seq,
  at,
  actor: staff,
  action,
  detail: {},
  result: 'ok',
});

/** A running workflow with a workflow task pending, and the given activities pending; counts queries. */
function runningWithPendingTask(pendingActivities: string[], answer: CaseViewV1 | Error) {
  const queries: string[] = [];
  const raw = {
    pendingWorkflowTask: { state: 1, attempt: 1 },
    pendingActivities: pendingActivities.map((name) => ({ activityType: { name }, attempt: 1 })),
  };
  const handle = {
    describe: () => Promise.resolve({ raw, type: 'complaintWorkflow', status: { name: 'RUNNING' } }),
    query: (q: { name: string }) => {
      queries.push(q.name);
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(q.name.startsWith('timeline') ? [] : answer);
    },
  };
  const client = {
    withDeadline: (_: number, call: () => Promise<unknown>) => call(),
    workflow: { getHandle: () => handle },
  } as unknown as Client;
  return { client, queries };
}

it('a case with a workflow task pending and no projection write pending is read from the projection', async () => {
  const stored = caseView({ complaintId: 'cmp-pending-1', status: 'in_progress' });
  const timeline = [entry(1, 'complaint_opened'), entry(2, 'case_assigned')];
  await writeCase(store.cases, stored, 4);
  await appendAudit(store.audit, stored.complaintId, timeline, 2);
  const temporal = runningWithPendingTask(['payRefund'], { ...stored, status: 'executing' });
  const cases = createCaseGateway(temporal.client, store);
  await expect(cases.caseFor(stored.complaintId, staff)).resolves.toMatchObject({ status: 'in_progress' });
  await expect(cases.timelineFor(stored.complaintId, staff)).resolves.toEqual(timeline);
  expect(temporal.queries).toEqual([]);
});

it('a projection write still pending is read from the workflow', async () => {
  const stored = caseView({ complaintId: 'cmp-pending-2', status: 'in_progress' });
  await writeCase(store.cases, stored, 4);
  const temporal = runningWithPendingTask(['recordCase'], { ...stored, status: 'executing' });
  const cases = createCaseGateway(temporal.client, store);
  await expect(cases.caseFor(stored.complaintId, staff)).resolves.toMatchObject({ status: 'executing' });
  expect(temporal.queries).toHaveLength(1);
});

/** What the client throws when the workflow refuses a query's run-ahead (the worker's failure text). */
const refused = () =>
  new QueryNotRegisteredError(
    `Workflow activation failed: ${QUERY_RUN_AHEAD_REFUSED}: history length 78 at the time of the task at 69`,
    3,
  );

it('a query refused as a run-ahead is answered from the projection, and a timeline from it is a 503 to send again', async () => {
  const stored = caseView({ complaintId: 'cmp-pending-3', status: 'in_progress' });
  await writeCase(store.cases, stored, 4);
  const temporal = runningWithPendingTask(['recordCase'], refused());
  const cases = createCaseGateway(temporal.client, store);
  await expect(cases.caseFor(stored.complaintId, staff)).resolves.toMatchObject({ status: 'in_progress' });
  const err = await cases.timelineFor(stored.complaintId, staff).catch((e: unknown) => e);
  expect(toAnswer(err)).toMatchObject({ status: 503, body: { code: 'unavailable' } });
  expect(toAnswer(err)?.retryAfterS).toBeGreaterThan(0);
});
