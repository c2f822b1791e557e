import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

/**
 * Dedicated agents (docs/domain.md §7.1): one document per customer, naming the agent their next
 * complaints are assigned to at intake, and the case that granted it. A later grant replaces an
 * earlier one; a retried write of an older grant never undoes a newer. Each grant is kept in the
 * document's trail, with who recorded it by hand and why when a supervisor did (docs/domain.md §7.1).
 */

const grantEvent = new Schema(
  {
    agentId: { type: String, required: true },
    complaintId: { type: String, default: null },
    grantedAt: { type: Date, required: true },
    by: { type: { sub: String, role: String, _id: false }, default: null },
    reason: { type: String, default: null },
  },
  { _id: false },
);

const dedicatedAgentSchema = new Schema(
  {
    /** The customer's id. */
    _id: { type: String, required: true },
    agentId: { type: String, required: true },
    /** The case that granted it; none when a supervisor recorded it outside a case. */
    complaintId: { type: String, default: null },
    grantedAt: { type: Date, required: true },
    events: { type: [grantEvent], default: [] },
  },
  { collection: 'dedicated_agents', versionKey: false },
);

export type DedicatedAgentModel = Model<InferSchemaType<typeof dedicatedAgentSchema>>;

export function dedicatedAgentModel(connection: Connection): DedicatedAgentModel {
  return (
    (connection.models.DedicatedAgent as DedicatedAgentModel | undefined) ??
    connection.model('DedicatedAgent', dedicatedAgentSchema)
  );
}

export interface DedicatedAgentGrant {
  customerId: string;
  agentId: string;
  complaintId: string | null;
  grantedAt: string;
  /** A grant recorded by hand: who, and why (the workflow's own grants have neither). */
  by?: { sub: string; role: string };
  reason?: string;
}

/** Records the grant unless a newer one is there, and keeps it in the trail once; safe to repeat. */
export async function recordDedicatedAgent(model: DedicatedAgentModel, grant: DedicatedAgentGrant): Promise<void> {
  const grantedAt = new Date(grant.grantedAt);
  const event = {
    agentId: grant.agentId,
    complaintId: grant.complaintId,
    grantedAt,
    by: grant.by ?? null,
    reason: grant.reason ?? null,
  };
  try {
    await model.updateOne(
      { _id: grant.customerId, grantedAt: { $lte: grantedAt } },
      // A repeated write adds the same event, which the set already holds.
      { $set: { agentId: grant.agentId, complaintId: grant.complaintId, grantedAt }, $addToSet: { events: event } },
      { upsert: true },
    );
  } catch (err) {
    // The filter missed an existing document: a newer grant is there, and stays.
    if (!isDuplicateKey(err)) throw err;
  }
}

/** The agent the customer's complaints go to, if they were granted one. */
export async function dedicatedAgentOf(model: DedicatedAgentModel, customerId: string): Promise<string | null> {
  const doc = await model.findById(customerId, { agentId: 1 }).lean();
  return doc?.agentId ?? null;
}
