import type { Client } from '@temporalio/client';
import { createCaseGateway } from '../../api/cases';
import type { CaseViewV1, TimelineEntryV1 } from '../../shared/caseView';
import { appendAudit } from '../../store/audit';
import { writeCase } from '../../store/cases';
import type { Store } from '../../store/connection';
import { caseView } from '../../dev/builders';
import { dropStore, freshStore } from '../store/fixtures';

/**
 * A database that loses acknowledged writes (the MongoDB-wire stand-in killed -9) can leave a closed
 * case's projection at an earlier stage for good. The API must then answer from the workflow, not
 * serve the stale stage as current (the reliability run found 7 such cases per run, docs/reliability.md).
 */

const staff = { sub: 'agent-7', role: 'agent' as const };
let store: Store;
beforeAll(async () => {
  store = await freshStore('lost-close');
});
afterAll(async () => {
  await dropStore(store);
});

/** Temporal as the API sees it for one case: its workflow completed, and queries answer the closed case. */
function completedWorkflow(closed: CaseViewV1, timeline: TimelineEntryV1[]): Client {
  const handle = {
    describe: () => Promise.resolve({ raw: {}, type: 'complaintWorkflow', status: { name: 'COMPLETED' } }),
    query: (q: { name: string }) => Promise.resolve(q.name.startsWith('timeline') ? timeline : closed),
  };
  return {
    withDeadline: (_: number, call: () => Promise<unknown>) => call(),
    workflow: { getHandle: () => handle },
  } as unknown as Client;
}

const at = '2026-11-27T10:00:00.000Z';
const entry = (seq: number, action: string): TimelineEntryV1 => ({
  seq,
  at,
  actor: staff,
  action,
  detail: {},
  result: 'ok',
});

it('a completed workflow whose projection lost its close is read from the workflow', async () => {
  const closed = caseView({ complaintId: 'cmp-lost-1', status: 'closed', closedAt: at, closeReason: 'resolved' });
  const behind = { ...closed, status: 'awaiting_customer' as const, closedAt: null, closeReason: null };
  const timeline = [entry(1, 'complaint_opened'), entry(2, 'case_closed')];
  await writeCase(store.cases, behind, 12);
  await appendAudit(store.audit, closed.complaintId, timeline.slice(0, 1), 1);
  const cases = createCaseGateway(completedWorkflow(closed, timeline), store);
  await expect(cases.caseFor(closed.complaintId, staff)).resolves.toMatchObject({
    status: 'closed',
    closeReason: 'resolved',
  });
  await expect(cases.timelineFor(closed.complaintId, staff)).resolves.toEqual(timeline);
});

it('a completed workflow whose projection holds its close is read from the projection', async () => {
  const closed = caseView({ complaintId: 'cmp-landed-1', status: 'closed', closedAt: at, closeReason: 'resolved' });
  const stored = [entry(1, 'complaint_opened'), entry(2, 'case_closed')];
  await writeCase(store.cases, closed, 12);
  await appendAudit(store.audit, closed.complaintId, stored, 2);
  // The workflow would answer differently: an answer from it would show here.
  const cases = createCaseGateway(completedWorkflow({ ...closed, closeReason: 'no_feedback' }, []), store);
  await expect(cases.caseFor(closed.complaintId, staff)).resolves.toMatchObject({ closeReason: 'resolved' });
  await expect(cases.timelineFor(closed.complaintId, staff)).resolves.toEqual(stored);
});
