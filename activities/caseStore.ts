import type { Connection } from 'mongoose';
import type { CaseViewV1, SlaEventV1, TimelineEntryV1 } from '../shared/caseView';
import { DEFAULT_POLICY } from '../shared/policy';
import { appendAudit } from '../store/audit';
import { writeCase } from '../store/cases';
import { storeOn } from '../store/connection';
import { appendSlaEvents } from '../store/slaEvents';

export interface RecordCaseInput {
  view: CaseViewV1;
  /** Grows with each write of one case; an older version never overwrites a newer one. */
  version: number;
  /** Timeline entries and SLA events since the previous write. */
  timeline: TimelineEntryV1[];
  slaEvents: SlaEventV1[];
}

export interface CaseStoreDeps {
  connection: Connection;
  /** Audit retention; the store keeps at least the spec's 3 years whatever this says. */
  retentionYears?: number;
}

/**
 * The workflow's only way into MongoDB: after each change it records the new case view and the
 * new audit and SLA entries. Every write is idempotent, so Temporal may retry or repeat it freely.
 */
export function createCaseStoreActivities({ connection, retentionYears = DEFAULT_POLICY.retentionYears }: CaseStoreDeps) {
  const store = storeOn(connection);

  async function recordCase({ view, version, timeline, slaEvents }: RecordCaseInput): Promise<void> {
    // Audit and SLA facts first: if the projection write fails, the retry re-sends them harmlessly,
    // and a projection is never visible ahead of the audit entries behind it.
    await Promise.all([
      appendAudit(store.audit, view.complaintId, timeline, retentionYears),
      appendSlaEvents(store.slaEvents, view.complaintId, slaEvents),
    ]);
    await writeCase(store.cases, view, version);
  }

  return { recordCase };
}

export type CaseStoreActivities = ReturnType<typeof createCaseStoreActivities>;
