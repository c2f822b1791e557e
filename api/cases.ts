import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { CaseViewV1, TimelineEntryV1 } from '../shared/caseView';
import type { Actor } from '../shared/intake';
import { type Acting, caseViewQuery, timelineQuery } from '../shared/messages';
import { readAudit } from '../store/audit';
import { readCase } from '../store/cases';
import type { Store } from '../store/connection';
import { ApiError } from './errors';
import type { CaseResponseV1, RetryingCallV1 } from './schemas';
import { isParty, owns } from './permissions';

/**
 * How the API reaches a case: live from its workflow (query, update), and from the projection once
 * Temporal no longer keeps the workflow (past the namespace's retention).
 */

/** A read answers quickly or the API says 503; an unreachable server would otherwise be retried for ~20 s. */
export const READ_DEADLINE_MS = 5_000;
/** An update waits for the worker to run it; past this the caller gets 503 and may retry. */
export const UPDATE_DEADLINE_MS = 30_000;

export function within<T>(temporal: Client, ms: number, call: () => Promise<T>): Promise<T> {
  return temporal.withDeadline(Date.now() + ms, call);
}

const notFound = (id: string) => new ApiError('not_found', `no complaint ${id}`, [], id);

export function createCaseGateway(temporal: Client, db: Store) {
  const handle = (id: string) => temporal.workflow.getHandle(id);

  async function view(id: string): Promise<CaseViewV1> {
    try {
      return await within(temporal, READ_DEADLINE_MS, () => handle(id).query(caseViewQuery));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const stored = await readCase(db.cases, id);
      if (!stored) throw notFound(id);
      return stored;
    }
  }

  /** The case, if the caller may see it; someone else's case is "not found", never "forbidden". */
  async function viewFor(id: string, actor: Actor): Promise<CaseViewV1> {
    const found = await view(id);
    if (!owns(actor, found)) throw notFound(id);
    return found;
  }

  /** What the server knows of the case's failing calls: attempts and failures the workflow never sees until one succeeds. */
  async function retrying(id: string): Promise<RetryingCallV1[]> {
    try {
      const { raw } = await within(temporal, READ_DEADLINE_MS, () => handle(id).describe());
      return (raw.pendingActivities ?? [])
        .filter((a) => (a.attempt ?? 1) > 1 || a.lastFailure)
        .map((a) => ({
          activity: a.activityType?.name ?? 'unknown',
          attempt: a.attempt ?? 1,
          lastFailure: a.lastFailure?.message ?? null,
          nextAttemptAt: optionalTsToDate(a.nextAttemptScheduleTime)?.toISOString() ?? null,
        }));
    } catch (err) {
      // Gone from Temporal (served from the projection): nothing is running, so nothing retries.
      if (err instanceof WorkflowNotFoundError) return [];
      throw err;
    }
  }

  /** `GET /v1/complaints/:id`: the view, and for staff the calls it is retrying. */
  async function caseFor(id: string, actor: Actor): Promise<CaseResponseV1> {
    if (isParty(actor)) return viewFor(id, actor);
    const [found, calls] = await Promise.all([view(id), retrying(id)]);
    return calls.length ? { ...found, retrying: calls } : found;
  }

  async function timelineFor(id: string, actor: Actor): Promise<TimelineEntryV1[]> {
    if (isParty(actor)) await viewFor(id, actor);
    try {
      return await within(temporal, READ_DEADLINE_MS, () => handle(id).query(timelineQuery));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const entries = await readAudit(db.audit, id);
      if (entries.length === 0 && !(await readCase(db.cases, id))) throw notFound(id);
      return entries;
    }
  }

  /** Why an update found no workflow: the case closed (and Temporal let it go), or it never existed. */
  async function missing(id: string): Promise<ApiError> {
    try {
      await within(temporal, READ_DEADLINE_MS, () => handle(id).describe());
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      if (!(await readCase(db.cases, id))) return notFound(id);
    }
    return new ApiError('case_closed', `${id} is closed`, [], id);
  }

  /** Runs an action as an update; the workflow's validator refuses what does not fit the case now. */
  async function act<B extends object>(
    id: string,
    actor: Actor,
    update: UpdateDefinition<CaseViewV1, [Acting<B>]>,
    body: B,
  ): Promise<CaseViewV1> {
    if (isParty(actor)) await viewFor(id, actor);
    try {
      return await within(temporal, UPDATE_DEADLINE_MS, () => handle(id).executeUpdate(update, { args: [{ ...body, actor }] }));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await missing(id);
      throw err;
    }
  }

  return { view, viewFor, caseFor, timelineFor, act };
}

export type CaseGateway = ReturnType<typeof createCaseGateway>;
