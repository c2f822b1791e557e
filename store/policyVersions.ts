import { isDeepStrictEqual } from 'node:util';
import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { Role } from '../shared/domain';
import { SlaPolicy } from '../shared/policy';
import { isDuplicateKey } from './mongoErrors';

/**
 * The SLA policy as versioned live data: drafts made by operations, published with an id, the
 * newest published one the policy new cases open with. One document per version, its audit trail
 * (who drafted, published, and why) in the document itself, so a version and its history are
 * written in one atomic step. COMPLAINT_POLICY_FILE only seeds version 1 of an empty store.
 */

/** The policy as the API shows and takes it, named once in the OpenAPI document. */
export const SlaPolicyV1 = SlaPolicy.meta({ id: 'SlaPolicyV1' });

export const PolicyActorV1 = z.object({ sub: z.string(), role: Role }).meta({ id: 'PolicyActorV1' });
export type PolicyActorV1 = z.infer<typeof PolicyActorV1>;

/** Dates are listed as added and removed; every other difference as its value before and after. */
export const PolicyChangeV1 = z
  .union([
    z.object({
      path: z.string().describe('dot path, e.g. firstResponse or calendar.serviceHours.end'),
      from: z.unknown(),
      to: z.unknown(),
    }),
    z.object({
      path: z.string().describe('calendar.holidays or calendar.makeUpWorkdays'),
      added: z.array(z.string()),
      removed: z.array(z.string()),
    }),
  ])
  .meta({ id: 'PolicyChangeV1' });
export type PolicyChangeV1 = z.infer<typeof PolicyChangeV1>;

export const PolicyEventV1 = z
  .object({
    action: z.enum(['seeded', 'drafted', 'published']),
    by: PolicyActorV1,
    at: z.iso.datetime({ offset: true }),
    reason: z.string().nullable(),
  })
  .meta({ id: 'PolicyEventV1' });
export type PolicyEventV1 = z.infer<typeof PolicyEventV1>;

export const PolicyVersionV1 = z
  .object({
    id: z.number().int().positive(),
    status: z.enum(['draft', 'published']),
    policy: SlaPolicyV1,
    basedOn: z.number().int().nullable().describe('the version that was active when the draft was made'),
    createdBy: PolicyActorV1,
    createdAt: z.iso.datetime({ offset: true }),
    reason: z.string().nullable(),
    publishedBy: PolicyActorV1.optional(),
    publishedAt: z.iso.datetime({ offset: true }).optional(),
    publishReason: z.string().optional(),
    changes: z.array(PolicyChangeV1).describe('the draft against basedOn'),
    events: z.array(PolicyEventV1).describe('the audit trail, oldest first'),
    rollout: z
      .object({
        workflowId: z.string().describe('the Temporal workflow offering the calendar to running cases'),
        startedAt: z.iso
          .datetime({ offset: true })
          .nullable()
          .describe('null until Temporal took it; the API starts it again until it does'),
      })
      .optional(),
  })
  .meta({ id: 'PolicyVersionV1' });
export type PolicyVersionV1 = z.infer<typeof PolicyVersionV1>;

interface StoredEvent {
  action: PolicyEventV1['action'];
  by: PolicyActorV1;
  at: Date;
  reason: string | null;
}

export interface PolicyVersionDoc {
  _id: number;
  status: 'draft' | 'published';
  policy: SlaPolicy;
  basedOn: number | null;
  createdBy: PolicyActorV1;
  createdAt: Date;
  reason: string | null;
  publishedBy?: PolicyActorV1;
  publishedAt?: Date;
  publishReason?: string;
  /**
   * The version this one replaced as the active policy. Unique: of two drafts made from the same
   * version, only the first published takes its place; the other would silently undo it.
   */
  publishedOver?: number;
  changes: PolicyChangeV1[];
  events: StoredEvent[];
  rollout?: { workflowId: string; startedAt: Date | null };
}

const actorSchema = new Schema(
  { sub: { type: String, required: true }, role: { type: String, required: true } },
  { _id: false },
);

const policyVersionSchema = new Schema<PolicyVersionDoc>(
  {
    // The version id is the key: two processes assigning the same id collide here and retry.
    _id: { type: Number, required: true },
    status: { type: String, enum: ['draft', 'published'], required: true },
    policy: { type: Schema.Types.Mixed, required: true },
    basedOn: { type: Number, default: null },
    createdBy: { type: actorSchema, required: true },
    createdAt: { type: Date, required: true },
    reason: { type: String, default: null },
    publishedBy: { type: actorSchema, default: undefined },
    publishedAt: { type: Date, default: undefined },
    publishReason: { type: String, default: undefined },
    publishedOver: { type: Number, default: undefined },
    changes: { type: Schema.Types.Mixed, default: [] },
    events: {
      type: [
        new Schema(
          {
            action: { type: String, required: true },
            by: { type: actorSchema, required: true },
            at: { type: Date, required: true },
            reason: { type: String, default: null },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    rollout: {
      type: new Schema(
        { workflowId: { type: String, required: true }, startedAt: { type: Date, default: null } },
        { _id: false },
      ),
      default: undefined,
    },
  },
  // minimize: false keeps a policy's empty objects (categoryTargets: {}) as they were published.
  { collection: 'policy_versions', versionKey: false, minimize: false },
);
policyVersionSchema.index({ publishedOver: 1 }, { unique: true, sparse: true });
policyVersionSchema.index({ status: 1, _id: -1 });

export type PolicyVersionModel = Model<PolicyVersionDoc>;

export function policyVersionModel(connection: Connection): PolicyVersionModel {
  return (
    (connection.models.PolicyVersion as PolicyVersionModel | undefined) ??
    connection.model<PolicyVersionDoc>('PolicyVersion', policyVersionSchema)
  );
}

export const SYSTEM_ACTOR: PolicyActorV1 = { sub: 'system', role: 'system' };

export function toPolicyVersionV1(doc: PolicyVersionDoc): PolicyVersionV1 {
  return {
    id: doc._id,
    status: doc.status,
    policy: doc.policy,
    basedOn: doc.basedOn ?? null,
    createdBy: { sub: doc.createdBy.sub, role: doc.createdBy.role },
    createdAt: doc.createdAt.toISOString(),
    reason: doc.reason ?? null,
    ...(doc.publishedBy ? { publishedBy: { sub: doc.publishedBy.sub, role: doc.publishedBy.role } } : {}),
    ...(doc.publishedAt ? { publishedAt: doc.publishedAt.toISOString() } : {}),
    ...(doc.publishReason ? { publishReason: doc.publishReason } : {}),
    changes: doc.changes ?? [],
    events: (doc.events ?? []).map((e) => ({
      action: e.action,
      by: { sub: e.by.sub, role: e.by.role },
      at: e.at.toISOString(),
      reason: e.reason ?? null,
    })),
    ...(doc.rollout
      ? {
          rollout: {
            workflowId: doc.rollout.workflowId,
            startedAt: doc.rollout.startedAt ? doc.rollout.startedAt.toISOString() : null,
          },
        }
      : {}),
  };
}

/** Lists whose order means nothing and whose items are dates: a change says what came and went. */
const DATE_SETS = new Set(['calendar.holidays', 'calendar.makeUpWorkdays']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `after` changes of `before`, field by field; the version label is the id, not a change. */
export function policyChanges(before: SlaPolicy, after: SlaPolicy): PolicyChangeV1[] {
  const changes: PolicyChangeV1[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (path === 'version') return;
    if (DATE_SETS.has(path)) {
      const was = new Set(Array.isArray(a) ? (a as string[]) : []);
      const is = new Set(Array.isArray(b) ? (b as string[]) : []);
      const added = [...is].filter((d) => !was.has(d)).sort();
      const removed = [...was].filter((d) => !is.has(d)).sort();
      if (added.length > 0 || removed.length > 0) changes.push({ path, added, removed });
      return;
    }
    if (isRecord(a) && isRecord(b)) {
      const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !(k in b))];
      for (const key of keys) walk(a[key], b[key], path ? `${path}.${key}` : key);
      return;
    }
    if (!isDeepStrictEqual(a, b)) changes.push({ path, from: a, to: b });
  };
  walk(before, after, '');
  return changes;
}

/** The newest published version: the one new cases open with. */
export async function activeVersion(model: PolicyVersionModel): Promise<PolicyVersionDoc | null> {
  return model.findOne({ status: 'published' }).sort({ _id: -1 }).lean<PolicyVersionDoc>();
}

export async function findVersion(model: PolicyVersionModel, id: number): Promise<PolicyVersionDoc | null> {
  return model.findById(id).lean<PolicyVersionDoc>();
}

/** Every version, newest first. */
export async function listVersions(model: PolicyVersionModel): Promise<PolicyVersionDoc[]> {
  return model.find().sort({ _id: -1 }).lean<PolicyVersionDoc[]>();
}

/**
 * Version 1, published, from the start-up policy, if the store holds no version yet. Two processes
 * starting together both try; the key lets one in and the other finds it there.
 */
export async function seedPolicyVersion(model: PolicyVersionModel, policy: SlaPolicy, reason: string): Promise<void> {
  if (await model.exists({})) return;
  const at = new Date();
  try {
    await model.create({
      _id: 1,
      status: 'published',
      policy: { ...policy, version: '1' },
      basedOn: null,
      createdBy: SYSTEM_ACTOR,
      createdAt: at,
      reason,
      publishedBy: SYSTEM_ACTOR,
      publishedAt: at,
      publishReason: reason,
      publishedOver: 0,
      changes: [],
      events: [{ action: 'seeded', by: SYSTEM_ACTOR, at, reason }],
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Drafts racing for the next id retry this often before the caller hears of it. */
const ID_ATTEMPTS = 10;

/** Stores a draft with the next id, its changes against the version active now. */
export async function createDraft(
  model: PolicyVersionModel,
  draft: { policy: SlaPolicy; reason: string | null; by: PolicyActorV1; active: PolicyVersionDoc },
): Promise<PolicyVersionDoc> {
  for (let attempt = 1; ; attempt++) {
    const last = await model.findOne().sort({ _id: -1 }).select({ _id: 1 }).lean<{ _id: number }>();
    const id = (last?._id ?? 0) + 1;
    const at = new Date();
    const policy: SlaPolicy = { ...draft.policy, version: String(id) };
    const doc: PolicyVersionDoc = {
      _id: id,
      status: 'draft',
      policy,
      basedOn: draft.active._id,
      createdBy: draft.by,
      createdAt: at,
      reason: draft.reason,
      changes: policyChanges(draft.active.policy, policy),
      events: [{ action: 'drafted', by: draft.by, at, reason: draft.reason }],
    };
    try {
      await model.create(doc);
      return doc;
    } catch (err) {
      // Another process took this id between the read and the write: read again.
      if (!isDuplicateKey(err) || attempt >= ID_ATTEMPTS) throw err;
    }
  }
}

export type PublishOutcome =
  | { outcome: 'published'; version: PolicyVersionDoc }
  | { outcome: 'not_found' }
  | { outcome: 'already_published'; version: PolicyVersionDoc }
  /** Another draft made from the same version was published first. */
  | { outcome: 'stale'; version: PolicyVersionDoc; active: number | null };

/** Publishes a draft: from this write on it is the active version (unless a newer one is). */
export async function publishVersion(
  model: PolicyVersionModel,
  id: number,
  publish: { by: PolicyActorV1; reason: string; rolloutWorkflowId: string },
): Promise<PublishOutcome> {
  const draft = await findVersion(model, id);
  if (!draft) return { outcome: 'not_found' };
  if (draft.status === 'published') return { outcome: 'already_published', version: draft };
  const at = new Date();
  try {
    const published = await model
      .findOneAndUpdate(
        { _id: id, status: 'draft' },
        {
          $set: {
            status: 'published',
            publishedBy: publish.by,
            publishedAt: at,
            publishReason: publish.reason,
            publishedOver: draft.basedOn ?? 0,
            rollout: { workflowId: publish.rolloutWorkflowId, startedAt: null },
          },
          $push: { events: { action: 'published', by: publish.by, at, reason: publish.reason } },
        },
        { new: true },
      )
      .lean<PolicyVersionDoc>();
    if (published) return { outcome: 'published', version: published };
    const now = await findVersion(model, id);
    return now ? { outcome: 'already_published', version: now } : { outcome: 'not_found' };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { outcome: 'stale', version: draft, active: (await activeVersion(model))?._id ?? null };
  }
}

/** Temporal took the version's rollout. */
export async function markRolloutStarted(model: PolicyVersionModel, id: number): Promise<void> {
  await model.updateOne({ _id: id, 'rollout.startedAt': null }, { $set: { 'rollout.startedAt': new Date() } });
}
