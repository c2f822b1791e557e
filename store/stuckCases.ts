import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * Cases the case doctor found with a workflow task that keeps failing, one document per workflow:
 * what it did (reset, and how often) and whether it is mended, or could not be mended and waits
 * for a person (`GET /v1/ops/stuck-cases`).
 */
const stuckCaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    workflowId: { type: String, required: true },
    workflowType: { type: String, required: true },
    /** The run that was stuck last. */
    runId: { type: String, required: true },
    status: { type: String, enum: ['mended', 'unmendable', 'recovered'], required: true },
    /** The failing workflow task's last failure, e.g. the SDK's "[TMPRL1100] Nondeterminism error …". */
    failure: { type: String, required: true },
    /** The failing task's attempt when the doctor looked. */
    attempt: { type: Number, required: true },
    /** Resets the doctor made of this workflow so far. */
    resets: { type: Number, required: true },
    /** The run the last reset started, and the event it went back to. */
    resetRunId: { type: String, default: null },
    resetEventId: { type: Number, default: null },
    /** Why the doctor gave up, for an unmendable case. */
    reason: { type: String, default: null },
    firstSeenAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'stuck_cases', versionKey: false, minimize: false },
);
stuckCaseSchema.index({ status: 1, updatedAt: -1 });

export type StuckCaseDoc = InferSchemaType<typeof stuckCaseSchema>;
export type StuckCaseModel = Model<StuckCaseDoc>;

export function stuckCaseModel(connection: Connection): StuckCaseModel {
  return (connection.models.StuckCase as StuckCaseModel | undefined) ?? connection.model('StuckCase', stuckCaseSchema);
}

/** The cases waiting for a person, oldest first. */
export async function listUnmendable(model: StuckCaseModel): Promise<StuckCaseDoc[]> {
  return model.find({ status: 'unmendable' }).sort({ firstSeenAt: 1 }).lean();
}
