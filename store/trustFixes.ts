import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import type { SlaPolicy } from '../shared/policy';
import type { FixKind, TrustOutcome } from '../shared/trust';
import type { CaseModel } from './cases';

/**
 * Trust after a fix (docs/domain.md §9.6): one document per recorded root-cause fix, with the cases it
 * caused (resolved when it was recorded, so the record says exactly whom it concerns) and, per case,
 * what became of its customer's notice: pending, told (with the coupon given), or undelivered (with the
 * person alerted). The fix's workflow writes each outcome once.
 */

const actorSchema = new Schema(
  { sub: { type: String, required: true }, role: { type: String, required: true } },
  { _id: false },
);
const customerSchema = new Schema(
  {
    complaintId: { type: String, required: true },
    customerId: { type: String, required: true },
    /** The case's status when the fix was recorded: closed cases are told too. */
    caseStatus: { type: String, required: true },
    status: { type: String, enum: ['pending', 'told', 'undelivered'], required: true },
    couponFen: { type: Number, default: 0 },
    couponId: { type: String, default: null },
    couponFailed: { type: Boolean, default: false },
    noCouponBecause: { type: String, default: null },
    alerted: { type: String, default: null },
    at: { type: Date, default: null },
  },
  { _id: false },
);

const trustFixSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    whatChanged: { type: String, required: true },
    whatChangedEn: { type: String, default: null },
    /** How the cases were chosen: the ids given, or the selector, as recorded. */
    selector: { type: Schema.Types.Mixed, default: null },
    recordedBy: { type: actorSchema, required: true },
    recordedAt: { type: Date, required: true },
    policyVersion: { type: Number, required: true },
    /** The policy's trustNotice (docs/domain.md §9.6) when the fix was recorded: the terms every case of it is given. */
    terms: {
      type: new Schema(
        {
          couponFen: { type: Number, required: true },
          validDays: { type: Number, required: true },
          forResponsibility: { type: [String], required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    status: { type: String, enum: ['telling', 'done'], required: true },
    customers: { type: [customerSchema], required: true },
  },
  { collection: 'trust_fixes', versionKey: false, minimize: false },
);
trustFixSchema.index({ recordedAt: -1, _id: 1 });
trustFixSchema.index({ 'customers.complaintId': 1 });

export interface FixCustomerDoc {
  complaintId: string;
  customerId: string;
  caseStatus: string;
  status: 'pending' | 'told' | 'undelivered';
  couponFen: number;
  couponId: string | null;
  couponFailed: boolean;
  noCouponBecause: string | null;
  alerted: string | null;
  at: Date | null;
}

/** A fix as read back (the schema's types, with its customers as plain objects). */
export type TrustFixDoc = Omit<InferSchemaType<typeof trustFixSchema>, 'customers' | 'status' | 'terms'> & {
  _id: string;
  status: 'telling' | 'done';
  terms: SlaPolicy['trustNotice'];
  customers: FixCustomerDoc[];
};
export type TrustFixModel = Model<InferSchemaType<typeof trustFixSchema>>;

export function trustFixModel(connection: Connection): TrustFixModel {
  return (connection.models.TrustFix as TrustFixModel | undefined) ?? connection.model('TrustFix', trustFixSchema);
}

/** A selector of the cases a fix caused: one merchant, product (SKU) or carrier, optionally one sub-type, cases opened in `[from, to)`. */
export interface FixSelector {
  merchantId?: string;
  sku?: string;
  carrier?: string;
  subType?: string;
  from: string;
  to: string;
}

export interface CaseOfFix {
  complaintId: string;
  customerId: string;
  status: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The cases a selector names, oldest first; at most `limit` + 1, so the caller can tell there were too many. */
export async function casesSelected(cases: CaseModel, sel: FixSelector, limit: number): Promise<CaseOfFix[]> {
  const query: Record<string, unknown> = { createdAt: { $gte: new Date(sel.from), $lt: new Date(sel.to) } };
  if (sel.merchantId) query.merchantId = sel.merchantId;
  if (sel.sku) query.sku = sel.sku;
  if (sel.subType) query.subType = sel.subType;
  if (sel.carrier) query.waybills = { $regex: `^${escapeRegex(sel.carrier)}/` };
  const docs = await cases
    .find(query, { complaintId: 1, customerId: 1, status: 1 })
    .sort({ createdAt: 1, complaintId: 1 })
    .limit(limit + 1)
    .lean();
  return docs.map((d) => ({ complaintId: d.complaintId, customerId: d.customerId, status: d.status }));
}

/** The cases of the ids given that exist, and the ids that do not. */
export async function casesById(
  cases: CaseModel,
  ids: readonly string[],
): Promise<{ found: CaseOfFix[]; unknown: string[] }> {
  const docs = await cases.find({ _id: { $in: [...ids] } }, { complaintId: 1, customerId: 1, status: 1 }).lean();
  const byId = new Map(
    docs.map((d) => [d.complaintId, { complaintId: d.complaintId, customerId: d.customerId, status: d.status }]),
  );
  return { found: ids.flatMap((id) => byId.get(id) ?? []), unknown: ids.filter((id) => !byId.has(id)) };
}

export async function insertFix(
  fixes: TrustFixModel,
  fix: {
    fixId: string;
    kind: FixKind;
    whatChanged: string;
    whatChangedEn: string | null;
    selector: unknown;
    recordedBy: { sub: string; role: string };
    recordedAt: Date;
    policyVersion: number;
    terms: SlaPolicy['trustNotice'];
    cases: CaseOfFix[];
  },
): Promise<TrustFixDoc> {
  const doc = {
    _id: fix.fixId,
    kind: fix.kind,
    whatChanged: fix.whatChanged,
    whatChangedEn: fix.whatChangedEn,
    selector: fix.selector,
    recordedBy: fix.recordedBy,
    recordedAt: fix.recordedAt,
    policyVersion: fix.policyVersion,
    terms: fix.terms,
    status: 'telling' as const,
    customers: fix.cases.map((c) => ({
      complaintId: c.complaintId,
      customerId: c.customerId,
      caseStatus: c.status,
      status: 'pending' as const,
      couponFen: 0,
      couponId: null,
      couponFailed: false,
      noCouponBecause: null,
      alerted: null,
      at: null,
    })),
  };
  await fixes.create(doc);
  return doc;
}

export async function removeFix(fixes: TrustFixModel, fixId: string): Promise<void> {
  await fixes.deleteOne({ _id: fixId });
}

export async function findFix(fixes: TrustFixModel, fixId: string): Promise<TrustFixDoc | null> {
  return fixes.findById(fixId).lean<TrustFixDoc>();
}

export async function listFixes(
  fixes: TrustFixModel,
  filter: { complaintId?: string },
  page: { limit: number; after?: { recordedAt: Date; fixId: string } },
): Promise<{ items: TrustFixDoc[]; next: { recordedAt: Date; fixId: string } | null }> {
  const query: Record<string, unknown> = {};
  if (filter.complaintId) query['customers.complaintId'] = filter.complaintId;
  if (page.after)
    query.$or = [
      { recordedAt: { $lt: page.after.recordedAt } },
      { recordedAt: page.after.recordedAt, _id: { $gt: page.after.fixId } },
    ];
  const items = await fixes
    .find(query)
    .sort({ recordedAt: -1, _id: 1 })
    .limit(page.limit + 1)
    .lean<TrustFixDoc[]>();
  const shown = items.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return {
    items: shown,
    next: items.length > page.limit && last ? { recordedAt: last.recordedAt, fixId: last._id } : null,
  };
}

/**
 * Records what became of one customer's notice, once: a retried write, or a second run of the fix's
 * workflow, finds the customer no longer pending and changes nothing.
 */
export async function recordOutcome(
  fixes: TrustFixModel,
  fixId: string,
  complaintId: string,
  outcome: TrustOutcome & { noCouponBecause: string | null },
  at: Date,
): Promise<void> {
  // By index, not the positional operator: the development Mongo-wire server does not resolve `$` against an $elemMatch.
  const fix = await fixes.findById(fixId, { customers: 1 }).lean<Pick<TrustFixDoc, 'customers'>>();
  const i = fix?.customers.findIndex((c) => c.complaintId === complaintId) ?? -1;
  if (i < 0 || fix?.customers[i].status !== 'pending') return;
  const slot = `customers.${i}`;
  await fixes.updateOne(
    { _id: fixId, [`${slot}.complaintId`]: complaintId, [`${slot}.status`]: 'pending' },
    {
      $set: {
        [`${slot}.status`]: outcome.status,
        [`${slot}.couponFen`]: outcome.couponFen,
        [`${slot}.couponId`]: outcome.couponId,
        [`${slot}.couponFailed`]: outcome.couponFailed,
        [`${slot}.noCouponBecause`]: outcome.noCouponBecause,
        [`${slot}.alerted`]: outcome.alerted,
        [`${slot}.at`]: at,
      },
    },
  );
}

export async function finishFix(fixes: TrustFixModel, fixId: string): Promise<void> {
  await fixes.updateOne({ _id: fixId }, { $set: { status: 'done' } });
}
