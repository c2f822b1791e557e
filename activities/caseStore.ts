import { ApplicationFailure } from '@temporalio/common';
import type { Connection } from 'mongoose';
import type { CaseViewV1, SlaEventV1, TimelineEntryV1 } from '../shared/caseView';
import { applyViewChanges, PROJECTION_BEHIND, type CaseViewChanges } from '../shared/viewChanges';
import { DEFAULT_POLICY } from '../shared/policy';
import { appendAudit } from '../store/audit';
import { applyCaseChanges, writeCase } from '../store/cases';
import { storeOn } from '../store/connection';
import { type DedicatedAgentGrant, recordDedicatedAgent } from '../store/dedicatedAgents';
import { appendSlaEvents } from '../store/slaEvents';

/** A run's first write sends the whole view; each later one the fields changed since the write before it. */
export type CaseWrite = { view: CaseViewV1 } | { complaintId: string; since: number; changes: CaseViewChanges };

export type RecordCaseInput = CaseWrite & {
  /** Grows with each write of one case; an older version never overwrites a newer one. */
  version: number;
  /** Timeline entries and SLA events since the previous write. */
  timeline: TimelineEntryV1[];
  slaEvents: SlaEventV1[];
};

export interface CaseStoreDeps {
  connection: Connection;
  /** Audit retention; the store keeps at least 3 years (docs/domain.md §10.1) whatever this says. */
  retentionYears?: number;
}

/**
 * The workflow's only way into MongoDB: after each change it records the new case view and the
 * new audit and SLA entries, and a customer's dedicated agent once granted. Every write is
 * idempotent, so Temporal may retry or repeat it freely.
 */
export function createCaseStoreActivities({
  connection,
  retentionYears = DEFAULT_POLICY.retentionYears,
}: CaseStoreDeps) {
  const store = storeOn(connection);

  async function recordCase(input: RecordCaseInput): Promise<void> {
    const complaintId = 'view' in input ? input.view.complaintId : input.complaintId;
    // Audit and SLA facts first: if the projection write fails, the retry re-sends them harmlessly,
    // and a projection is never visible ahead of the audit entries behind it.
    await Promise.all([
      appendAudit(store.audit, complaintId, input.timeline, retentionYears),
      appendSlaEvents(store.slaEvents, complaintId, input.slaEvents),
    ]);
    if ('view' in input) {
      await writeCase(store.cases, input.view, input.version);
      return;
    }
    const outcome = await applyCaseChanges(store.cases, complaintId, input.since, input.changes, input.version);
    if (outcome === 'behind') {
      throw ApplicationFailure.create({
        type: PROJECTION_BEHIND,
        nonRetryable: true,
        message: `case ${complaintId}: the store is not at version ${input.since}, which the changes of version ${input.version} follow`,
      });
    }
  }

  /** docs/domain.md §7.1: the customer's dedicated agent, whom intake assigns their next complaints to. */
  async function grantDedicatedAgent(grant: DedicatedAgentGrant): Promise<void> {
    await recordDedicatedAgent(store.dedicatedAgents, grant);
  }

  return { recordCase, grantDedicatedAgent };
}

export type CaseStoreActivities = ReturnType<typeof createCaseStoreActivities>;

/** The view a run's projection writes leave in the store, from their inputs in order (null before a whole view). */
export function viewAfterWrites(writes: CaseWrite[]): CaseViewV1 | null {
  let view: CaseViewV1 | null = null;
  for (const write of writes) {
    if ('view' in write) view = write.view;
    else if (view) view = applyViewChanges(view, write.changes);
  }
  return view;
}
