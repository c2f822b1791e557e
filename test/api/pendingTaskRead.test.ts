import { type Client, QueryNotRegisteredError } from '@temporalio/client';
import { createCaseGateway } from '../../api/cases';
import { toAnswer } from '../../api/errors';
import type { CaseViewV1 } from '../../shared/caseView';
import { QUERY_RUN_AHEAD_REFUSED } from '../../shared/errors';
import { writeCase } from '../../store/cases';
import type { Store } from '../../store/connection';
import { caseView } from '../../dev/builders';
import { dropStore, freshStore } from '../store/fixtures';

/**
 * A case with a workflow task pending may have changed since its projection was written (writes go
 * one at a time: a change made while one was in flight waits for it), so the API asks the workflow.
 * A worker that does not hold the case refuses to answer such a query (it would run the case ahead
 * of its history, docs/determinism.md); the case view then comes from the projection, and anything
 * else is a 503 to send again, never a 500.
 */

const staff = { sub: 'agent-7', role: 'agent' as const };
let store: Store;
beforeAll(async () => {
  store = await freshStore('pending-task-read');
});
afterAll(async () => {
  await dropStore(store);
});

/** A running workflow with a workflow task pending and nothing else; counts queries. */
function runningWithPendingTask(answer: CaseViewV1 | Error) {
  const queries: string[] = [];
  const raw = { pendingWorkflowTask: { state: 1, attempt: 1 }, pendingActivities: [] };
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

it('a case with a workflow task pending is read from the workflow: its last change may not be written yet', async () => {
  const stored = caseView({ complaintId: 'cmp-pending-1', status: 'in_progress', owner: null });
  await writeCase(store.cases, stored, 4);
  const temporal = runningWithPendingTask({ ...stored, owner: 'agent-7' });
  const cases = createCaseGateway(temporal.client, store);
  await expect(cases.caseFor(stored.complaintId, staff)).resolves.toMatchObject({ owner: 'agent-7' });
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
  const temporal = runningWithPendingTask(refused());
  const cases = createCaseGateway(temporal.client, store);
  await expect(cases.caseFor(stored.complaintId, staff)).resolves.toMatchObject({ status: 'in_progress' });
  const err = await cases.timelineFor(stored.complaintId, staff).catch((e: unknown) => e);
  expect(toAnswer(err)).toMatchObject({ status: 503, body: { code: 'unavailable' } });
  expect(toAnswer(err)?.retryAfterS).toBeGreaterThan(0);
});
