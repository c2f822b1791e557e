import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import type { TimelineEntryV1 } from '../shared/caseView';
import { onlyDuplicates } from './mongoErrors';

/**
 * The audit log (docs/domain.md §10.1): every action on a case with who, when, what and the result, one
 * document per timeline entry. It outlives the workflow, which Temporal keeps only for the
 * namespace's retention period.
 */
const auditSchema = new Schema(
  {
    complaintId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: {
      type: new Schema(
        { sub: { type: String, required: true }, role: { type: String, required: true } },
        { _id: false },
      ),
      required: true,
    },
    action: { type: String, required: true },
    detail: { type: Schema.Types.Mixed, default: {} },
    result: { type: String, required: true },
    /** Kept at least until then; purging is an operator's decision, so no TTL index deletes it silently. */
    retainUntil: { type: Date, required: true },
  },
  { collection: 'audit_log', versionKey: false, minimize: false },
);
// The workflow's sequence number identifies an entry, so a repeated write is a no-op.
auditSchema.index({ complaintId: 1, seq: 1 }, { unique: true });
auditSchema.index({ retainUntil: 1 });

export type AuditDoc = InferSchemaType<typeof auditSchema>;
export type AuditModel = Model<AuditDoc>;

export function auditModel(connection: Connection): AuditModel {
  return (connection.models.AuditEntry as AuditModel | undefined) ?? connection.model('AuditEntry', auditSchema);
}

/** Records are kept at least 3 years (docs/domain.md §10.1), whatever a policy file says. */
export const MIN_RETENTION_YEARS = 3;

export function retainUntil(at: Date, retentionYears: number): Date {
  const until = new Date(at);
  until.setUTCFullYear(until.getUTCFullYear() + Math.max(retentionYears, MIN_RETENTION_YEARS));
  return until;
}

export async function appendAudit(
  audit: AuditModel,
  complaintId: string,
  entries: TimelineEntryV1[],
  retentionYears: number,
): Promise<void> {
  if (entries.length === 0) return;
  const docs = entries.map((e) => ({
    ...e,
    complaintId,
    at: new Date(e.at),
    retainUntil: retainUntil(new Date(e.at), retentionYears),
  }));
  try {
    // Unordered, so the entries not yet stored go in even when earlier ones already are.
    await audit.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
}

export async function readAudit(audit: AuditModel, complaintId: string): Promise<TimelineEntryV1[]> {
  const docs = await audit.find({ complaintId }).sort({ seq: 1 }).lean();
  return docs.map((d) => ({
    seq: d.seq,
    at: d.at.toISOString(),
    actor: { sub: d.actor.sub, role: d.actor.role },
    action: d.action,
    detail: (d.detail ?? {}) as Record<string, unknown>,
    result: d.result as TimelineEntryV1['result'],
  }));
}
