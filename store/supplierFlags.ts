import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { DateTime } from 'luxon';
import type { MerchantMonth, RaisedFlag } from '../shared/suppliers';
import { SUMMARY_TOP_SUB_TYPES } from '../shared/suppliers';
import type { CaseModel } from './cases';
import { onlyDuplicates } from './mongoErrors';

/**
 * Supplier tiering (docs/domain.md §11.6): one document per flag, with the figures that raised it and
 * its audit trail (`events`: raised, then the review's decision, who, when, why) in the document, as
 * policy versions keep theirs. A flag is decided once: suspend or keep.
 */

const actorSchema = new Schema(
  { sub: { type: String, required: true }, role: { type: String, required: true } },
  { _id: false },
);
const eventSchema = new Schema(
  {
    action: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: actorSchema, required: true },
    reason: { type: String, default: null },
  },
  { _id: false },
);

const supplierFlagSchema = new Schema(
  {
    /** `<merchantId>.<the day it was raised, YYYY-MM-DD in the platform's time zone>`: a retried raise is one flag. */
    _id: { type: String, required: true },
    merchantId: { type: String, required: true },
    raisedAt: { type: Date, required: true },
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    orders: { type: Number, required: true },
    returns: { type: Number, required: true },
    rate: { type: Number, required: true },
    threshold: { type: Number, required: true },
    policyVersion: { type: Number, required: true },
    status: { type: String, enum: ['open', 'suspend', 'keep'], required: true },
    events: { type: [eventSchema], required: true },
  },
  { collection: 'supplier_flags', versionKey: false, minimize: false },
);
supplierFlagSchema.index({ raisedAt: -1, _id: 1 });
supplierFlagSchema.index({ merchantId: 1, raisedAt: -1 });
supplierFlagSchema.index({ status: 1, raisedAt: -1 });

export type SupplierFlagDoc = InferSchemaType<typeof supplierFlagSchema>;
export type SupplierFlagModel = Model<SupplierFlagDoc>;

export function supplierFlagModel(connection: Connection): SupplierFlagModel {
  return (
    (connection.models.SupplierFlag as SupplierFlagModel | undefined) ??
    connection.model('SupplierFlag', supplierFlagSchema)
  );
}

export const SYSTEM_ACTOR = { sub: 'supplier-watch', role: 'system' };

export interface Measured {
  merchantId: string;
  orders: number;
  returns: number;
}

/**
 * Flags each merchant whose returns are more than `threshold` of its orders in `[from, to)`, unless it
 * has a flag still open or one raised within the window (the figures would largely be the same ones).
 * Answers the flags raised now; a retried call raises none twice.
 */
export async function raiseFlags(
  flags: SupplierFlagModel,
  figures: readonly Measured[],
  opts: { from: Date; to: Date; threshold: number; policyVersion: number; timeZone: string },
): Promise<RaisedFlag[]> {
  const above = figures.filter((f) => f.orders > 0 && f.returns / f.orders > opts.threshold);
  if (above.length === 0) return [];
  const day = DateTime.fromJSDate(opts.to, { zone: opts.timeZone }).toFormat('yyyy-MM-dd');
  const recent = await flags
    .find(
      {
        merchantId: { $in: above.map((f) => f.merchantId) },
        $or: [{ status: 'open' }, { raisedAt: { $gte: opts.from } }],
      },
      { merchantId: 1, _id: 1 },
    )
    .lean();
  // A retried call finds its own flags of today: they count as raised now, not as earlier ones.
  const today = new Set(recent.filter((r) => r._id === `${r.merchantId}.${day}`).map((r) => r.merchantId));
  const earlier = new Set(recent.filter((r) => !today.has(r.merchantId)).map((r) => r.merchantId));
  const docs = above
    .filter((f) => !earlier.has(f.merchantId))
    .map((f) => ({
      _id: `${f.merchantId}.${day}`,
      merchantId: f.merchantId,
      raisedAt: opts.to,
      from: opts.from,
      to: opts.to,
      orders: f.orders,
      returns: f.returns,
      rate: f.returns / f.orders,
      threshold: opts.threshold,
      policyVersion: opts.policyVersion,
      status: 'open',
      events: [{ action: 'raised', at: opts.to, by: SYSTEM_ACTOR, reason: null }],
    }));
  try {
    await flags.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
  return docs.map((d) => ({
    flagId: d._id,
    merchantId: d.merchantId,
    from: d.from.toISOString(),
    to: d.to.toISOString(),
    orders: d.orders,
    returns: d.returns,
    rate: d.rate,
    threshold: d.threshold,
    policyVersion: d.policyVersion,
  }));
}

export type FlagStatus = 'open' | 'suspend' | 'keep';

export async function listFlags(
  flags: SupplierFlagModel,
  filter: { status?: FlagStatus; merchantId?: string },
  page: { limit: number; after?: { raisedAt: Date; flagId: string } },
): Promise<{ items: Array<SupplierFlagDoc & { _id: string }>; next: { raisedAt: Date; flagId: string } | null }> {
  const query: Record<string, unknown> = {};
  if (filter.status) query.status = filter.status;
  if (filter.merchantId) query.merchantId = filter.merchantId;
  if (page.after)
    query.$or = [
      { raisedAt: { $lt: page.after.raisedAt } },
      { raisedAt: page.after.raisedAt, _id: { $gt: page.after.flagId } },
    ];
  const items = await flags
    .find(query)
    .sort({ raisedAt: -1, _id: 1 })
    .limit(page.limit + 1)
    .lean<Array<SupplierFlagDoc & { _id: string }>>();
  const more = items.length > page.limit;
  const shown = items.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return { items: shown, next: more && last ? { raisedAt: last.raisedAt, flagId: last._id } : null };
}

/**
 * The review's decision, once: answers the decided flag, `decided` when it had been decided before
 * (by this call's twin or another reviewer), `missing` when there is no such flag.
 */
export async function decideFlag(
  flags: SupplierFlagModel,
  flagId: string,
  decision: { status: 'suspend' | 'keep'; by: { sub: string; role: string }; reason: string; at: Date },
): Promise<
  { outcome: 'decided'; flag: SupplierFlagDoc & { _id: string } } | { outcome: 'already_decided' | 'missing' }
> {
  const flag = await flags
    .findOneAndUpdate(
      { _id: flagId, status: 'open' },
      {
        $set: { status: decision.status },
        $push: { events: { action: decision.status, at: decision.at, by: decision.by, reason: decision.reason } },
      },
      { new: true },
    )
    .lean<SupplierFlagDoc & { _id: string }>();
  if (flag) return { outcome: 'decided', flag };
  return (await flags.exists({ _id: flagId })) ? { outcome: 'already_decided' } : { outcome: 'missing' };
}

export async function findFlag(
  flags: SupplierFlagModel,
  flagId: string,
): Promise<(SupplierFlagDoc & { _id: string }) | null> {
  return flags.findById(flagId).lean<SupplierFlagDoc & { _id: string }>();
}

/** Each merchant's cases opened in the month: how many, by sub-type (the most frequent few) and by category. */
export async function merchantMonths(cases: CaseModel, month: string, timeZone: string): Promise<MerchantMonth[]> {
  const start = DateTime.fromISO(`${month}-01T00:00:00`, { zone: timeZone });
  const docs = await cases
    .find(
      { createdAt: { $gte: start.toJSDate(), $lt: start.plus({ months: 1 }).toJSDate() } },
      { merchantId: 1, subType: 1, category: 1 },
    )
    .lean();
  const byMerchant = new Map<string, Array<{ subType: string; category: string }>>();
  for (const d of docs)
    byMerchant.set(d.merchantId, [
      ...(byMerchant.get(d.merchantId) ?? []),
      { subType: d.subType, category: d.category },
    ]);
  const mostFirst = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  return [...byMerchant.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([merchantId, items]) => ({
      merchantId,
      month,
      total: items.length,
      subTypes: mostFirst(items.map((i) => i.subType))
        .slice(0, SUMMARY_TOP_SUB_TYPES)
        .map(([subType, count]) => ({ subType, count })),
      categories: mostFirst(items.map((i) => i.category)).map(([category, count]) => ({ category, count })),
    }));
}
