import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

/**
 * Dedicated agents (docs/domain.md §7.1): one document per customer, naming the agent their next
 * complaints are assigned to at intake, and the case that granted it. A later grant replaces an
 * earlier one; a retried write of an older grant never undoes a newer.
 */

const dedicatedAgentSchema = new Schema(
  {
    /** The customer's id. */
    _id: { type: String, required: true },
    agentId: { type: String, required: true },
    complaintId: { type: String, required: true },
    grantedAt: { type: Date, required: true },
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
  complaintId: string;
  grantedAt: string;
}

/** Records the grant unless a newer one is there; safe to repeat. */
export async function recordDedicatedAgent(model: DedicatedAgentModel, grant: DedicatedAgentGrant): Promise<void> {
  const grantedAt = new Date(grant.grantedAt);
  try {
    await model.updateOne(
      { _id: grant.customerId, grantedAt: { $lte: grantedAt } },
      { $set: { agentId: grant.agentId, complaintId: grant.complaintId, grantedAt } },
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
