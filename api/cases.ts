import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError, type Timestamp, type UpdateDefinition } from '@temporalio/common';
import type { temporal as proto } from '@temporalio/proto';
import { Counter } from 'prom-client';
import type { CaseViewV1, TimelineEntryV1 } from '../shared/caseView';
import type { Actor } from '../shared/intake';
import { type Acting, caseViewQuery, timelineQuery } from '../shared/messages';
import { readAudit } from '../store/audit';
import { readCase, readParties } from '../store/cases';
import type { Store } from '../store/connection';
import { ApiError, queryRunAheadRefused, toAnswer } from './errors';
import type { CaseResponseV1, RetryingCallV1 } from './schemas';
import { isParty, owns } from './permissions';
import { sendUntilSettled } from './resend';

/** The workflow type of a case; any other workflow's id is no complaint (404). */
const COMPLAINT_WORKFLOW = 'complaintWorkflow';

/**
 * How the API reaches a case: reads from the projection when it is current and from the workflow
 * (query) when it is not, updates through the workflow, and from the projection alone once Temporal
 * no longer keeps the workflow (past the namespace's retention).
 */

/** A read answers quickly or the API says 503; an unreachable server would otherwise be retried for ~20 s. */
export const READ_DEADLINE_MS = 5_000;
/** An update waits for the worker to run it; past this the caller gets 503 and may retry. */
export const UPDATE_DEADLINE_MS = 30_000;

export function within<T>(temporal: Client, ms: number, call: () => Promise<T>): Promise<T> {
  return temporal.withDeadline(Date.now() + ms, call);
}

const notFound = (id: string) => new ApiError('not_found', `no complaint ${id}`, [], id);

interface Description {
  raw: proto.api.workflowservice.v1.IDescribeWorkflowExecutionResponse;
  status: string;
}

/**
 * Whether the projection holds what a query would answer now: the workflow closed (its last act is
 * the final projection write), or it is running with no workflow task pending (nothing received
 * that the workflow has not applied) and no projection write pending. Writes go one at a time
 * (workflows/projection.ts): a change made while one is in flight waits for it, so with a task
 * pending (that write's result, say) the projection may lack the latest change.
 */
export function projectionCurrent({ raw, status }: Description): boolean {
  if (status === 'COMPLETED') return true;
  if (status !== 'RUNNING') return false;
  return !raw.pendingWorkflowTask && !(raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'recordCase');
}

/**
 * A closed workflow whose projection is not closed: its last writes were acknowledged and then lost
 * (the MongoDB-wire stand-in killed -9 does this; MongoDB with journaled writes does not). Nothing
 * will write that case again, so the workflow answers for it.
 */
export function lostItsClose({ status }: Description, stored: CaseViewV1): boolean {
  return status === 'COMPLETED' && stored.status !== 'closed';
}

/** Case reads (view and timeline) by where they were answered from: the metrics say what share still queries the workflow. */
export const caseReads = new Counter({
  name: 'api_case_reads',
  help: 'case views and timelines read, by source: projection (current), query (the workflow, via a worker), retained (projection after Temporal let the case go)',
  labelNames: ['source'] as const,
  registers: [],
});

function counted<T>(source: 'projection' | 'query' | 'retained', value: T): T {
  caseReads.inc({ source });
  return value;
}

/** A protobuf timestamp as ISO text (the SDK's own converters are internal); seconds may come as a Long. */
function isoOf(ts: Timestamp | null | undefined): string | null {
  if (!ts) return null;
  return new Date(Number(ts.seconds?.toString() ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

export function createCaseGateway(temporal: Client, db: Store) {
  const handle = (id: string) => temporal.workflow.getHandle(id);

  /**
   * What Temporal says of the case's workflow, or undefined once Temporal no longer keeps it (past
   * retention). One describe serves the freshness check and staff's list of retrying calls.
   */
  async function describe(id: string): Promise<Description | undefined> {
    let described: Awaited<ReturnType<ReturnType<typeof handle>['describe']>>;
    try {
      described = await within(temporal, READ_DEADLINE_MS, () => handle(id).describe());
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
    // Ids of the platform's other workflows (the case doctor, groups) fit the id pattern but are no complaint.
    if (described.type !== COMPLAINT_WORKFLOW) throw notFound(id);
    return { raw: described.raw, status: described.status.name };
  }

  /**
   * The view from the versioned projection when it is current, else from the workflow. A query
   * needs a worker to run the workflow's code (a worker that does not hold the case then runs it on
   * results no task has written yet: the SDK's ordering bug, docs/determinism.md), while the
   * projection is written after every change; reading it costs a describe and a MongoDB read.
   */
  async function view(id: string, described?: Description): Promise<CaseViewV1> {
    const d = described ?? (await describe(id));
    if (!d) {
      const stored = await readCase(db.cases, id);
      if (!stored) throw notFound(id);
      return counted('retained', stored);
    }
    // MongoDB unreachable or behind: the workflow answers instead.
    if (projectionCurrent(d)) {
      const stored = await readCase(db.cases, id).catch(() => null);
      if (stored && !lostItsClose(d, stored)) return counted('projection', stored);
    }
    try {
      return counted('query', await within(temporal, READ_DEADLINE_MS, () => handle(id).query(caseViewQuery)));
    } catch (err) {
      // A worker that does not hold the case refused to run it ahead of its history for the query
      // (docs/determinism.md): the projection is behind by at most the writes in flight.
      if (d.status !== 'RUNNING' || !queryRunAheadRefused(err)) throw err;
      const stored = await readCase(db.cases, id).catch(() => null);
      if (!stored) throw err;
      return counted('projection', stored);
    }
  }

  /** The case, if the caller may see it; someone else's case is "not found", never "forbidden". */
  async function viewFor(id: string, actor: Actor): Promise<CaseViewV1> {
    const found = await view(id);
    if (!owns(actor, found)) throw notFound(id);
    return found;
  }

  /**
   * Before a party's update: is the case theirs? The parties of a case never change after intake,
   * so any projection of it answers, however far behind; only a case not yet projected (or MongoDB
   * unreachable) costs the full read. Saves a describe on every customer and merchant action, and
   * reads two columns rather than the whole view.
   */
  async function requireParty(id: string, actor: Actor): Promise<void> {
    const parties = await readParties(db.cases, id).catch(() => null);
    if (!parties) {
      await viewFor(id, actor);
      return;
    }
    if (!owns(actor, parties)) throw notFound(id);
  }

  /** What the server knows of the case's failing calls: attempts and failures the workflow never sees until one succeeds. */
  function retrying(d: Description | undefined): RetryingCallV1[] {
    // Gone from Temporal (served from the projection): nothing is running, so nothing retries.
    return (d?.raw.pendingActivities ?? [])
      .filter((a) => (a.attempt ?? 1) > 1 || a.lastFailure)
      .map((a) => ({
        activity: a.activityType?.name ?? 'unknown',
        attempt: a.attempt ?? 1,
        lastFailure: a.lastFailure?.message ?? null,
        nextAttemptAt: isoOf(a.nextAttemptScheduleTime),
      }));
  }

  /** `GET /v1/complaints/:id`: the view, and for staff the calls it is retrying. */
  async function caseFor(id: string, actor: Actor): Promise<CaseResponseV1> {
    if (isParty(actor)) return viewFor(id, actor);
    const described = await describe(id);
    const [found, calls] = [await view(id, described), retrying(described)];
    return calls.length ? { ...found, retrying: calls } : found;
  }

  async function timelineFor(id: string, actor: Actor): Promise<TimelineEntryV1[]> {
    const described = await describe(id);
    if (isParty(actor)) {
      const found = await view(id, described);
      if (!owns(actor, found)) throw notFound(id);
    }
    if (!described) {
      const entries = await readAudit(db.audit, id);
      if (entries.length === 0 && !(await readCase(db.cases, id))) throw notFound(id);
      return counted('retained', entries);
    }
    // The audit log is written with the projection, just before it: both are current together.
    if (projectionCurrent(described) && (await closeLanded(described, id))) {
      const entries = await readAudit(db.audit, id).catch(() => []);
      if (entries.length) return counted('projection', entries);
    }
    return counted('query', await within(temporal, READ_DEADLINE_MS, () => handle(id).query(timelineQuery)));
  }

  /** For a closed workflow, whether its projection shows the close (if not, the audit's last lines went with it). */
  async function closeLanded(d: Description, id: string): Promise<boolean> {
    if (d.status !== 'COMPLETED') return true;
    const stored = await readCase(db.cases, id).catch(() => null);
    return stored !== null && !lostItsClose(d, stored);
  }

  /** Why an update found no workflow: the case closed (and Temporal let it go), or it never existed. */
  async function missing(id: string): Promise<ApiError> {
    if (!(await describe(id)) && !(await readCase(db.cases, id))) return notFound(id);
    return new ApiError('case_closed', `${id} is closed`, [], id);
  }

  /**
   * Runs an action as an update; the workflow's validator refuses what does not fit the case now.
   * A refusal because the case moved in the same workflow task is sent again first (api/resend.ts).
   */
  async function act<B extends object>(
    id: string,
    actor: Actor,
    update: UpdateDefinition<CaseViewV1, [Acting<B>]>,
    body: B,
  ): Promise<CaseViewV1> {
    if (isParty(actor)) await requireParty(id, actor);
    try {
      return await within(temporal, UPDATE_DEADLINE_MS, () =>
        sendUntilSettled((updateId) => handle(id).executeUpdate(update, { updateId, args: [{ ...body, actor }] })),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await missing(id);
      // A refusal outside the error vocabulary may mean the id names another workflow, which has no such update.
      if (err instanceof WorkflowUpdateFailedError && !toAnswer(err)) await describe(id);
      throw err;
    }
  }

  return { view, viewFor, caseFor, timelineFor, act };
}

export type CaseGateway = ReturnType<typeof createCaseGateway>;
