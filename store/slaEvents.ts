import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import type { SlaEventV1 } from '../shared/caseView';
import { onlyDuplicates } from './mongoErrors';

/**
 * SLA facts as they happened (a deadline activated, met, breached...), so breach rates per
 * deadline kind are counted from records, never recomputed from history.
 */
const slaEventSchema = new Schema(
  {
    complaintId: { type: String, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, required: true },
    event: { type: String, required: true },
    at: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    escalationLevel: { type: Number, required: true },
  },
  { collection: 'sla_events', versionKey: false },
);
slaEventSchema.index({ complaintId: 1, seq: 1 }, { unique: true });
// Reports count outcomes per kind within a period.
slaEventSchema.index({ at: 1, kind: 1 });

export type SlaEventDoc = InferSchemaType<typeof slaEventSchema>;
export type SlaEventModel = Model<SlaEventDoc>;

export function slaEventModel(connection: Connection): SlaEventModel {
  return (connection.models.SlaEvent as SlaEventModel | undefined) ?? connection.model('SlaEvent', slaEventSchema);
}

export async function appendSlaEvents(
  slaEvents: SlaEventModel,
  complaintId: string,
  events: SlaEventV1[],
): Promise<void> {
  if (events.length === 0) return;
  const docs = events.map((e) => ({ ...e, complaintId, at: new Date(e.at), dueAt: new Date(e.dueAt) }));
  try {
    await slaEvents.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
}
