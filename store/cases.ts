import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { z } from 'zod';
import type { Parties } from '../shared/access';
import type { CaseViewV1 } from '../shared/caseView';
import { applyViewChanges, type CaseViewChanges } from '../shared/viewChanges';
import type { Category, EscalationLevel, Priority, Status } from '../shared/domain';
import { isDuplicateKey } from './mongoErrors';

/**
 * The case projection: one document per case, written by the workflow (through the case-store
 * activity) after each change. `view` is the case view exactly as the workflow's query returns it,
 * so a read that falls back here (the workflow is past retention) answers the same shape; the
 * flattened fields beside it are typed columns for list filters, the stable sort and reports.
 */
const caseSchema = new Schema(
  {
    _id: { type: String, required: true },
    complaintId: { type: String, required: true },
    /** Grows with every write of the workflow; a write never replaces a newer version. */
    version: { type: Number, required: true },
    view: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true },
    priority: { type: String, required: true },
    category: { type: String, required: true },
    subType: { type: String, required: true },
    channel: { type: String, required: true },
    merchantId: { type: String, required: true },
    /** The department the case is routed to (docs/domain.md §6.5); null: customer service alone, or opened before routing. */
    department: { type: String, default: null },
    customerId: { type: String, required: true },
    sku: { type: String, required: true },
    /** `carrier/waybillNo` of the order's parcel and of a return shipment: carrier events find their cases by it. */
    waybills: { type: [String], default: [] },
    escalationLevel: { type: Number, required: true },
    breached: { type: Boolean, required: true },
    round: { type: Number, required: true },
    repeatOf: { type: String, default: null },
    closeReason: { type: String, default: null },
    responsibility: { type: String, default: null },
    /** The latest round's rating. */
    rating: { type: Number, default: null },
    /** Round 1's rating; documents written before rounds were kept lack it (reports then fall back on `rating`). */
    firstRating: { type: Number, default: null },
    /** Every round's rating, oldest first: a rating stays counted when its case reopens. Older documents lack it (reports fall back on `rating`). */
    ratings: { type: [Number], default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    closedAt: { type: Date, default: null },
  },
  { collection: 'cases', versionKey: false, minimize: false },
);

/** Lists page newest first; complaintId breaks ties so a page boundary never skips or repeats a case. */
const NEWEST_FIRST = { createdAt: -1, complaintId: -1 } as const;
caseSchema.index(NEWEST_FIRST);
// Each list filter leads a compound index that ends in the sort, so a filtered page is an index range.
for (const filter of [
  'status',
  'priority',
  'category',
  'merchantId',
  'department',
  'customerId',
  'escalationLevel',
  'breached',
]) {
  caseSchema.index({ [filter]: 1, ...NEWEST_FIRST });
}

caseSchema.index({ waybills: 1, status: 1 });

export type CaseDoc = InferSchemaType<typeof caseSchema>;
export type CaseModel = Model<CaseDoc>;

export function caseModel(connection: Connection): CaseModel {
  return (connection.models.Case as CaseModel | undefined) ?? connection.model('Case', caseSchema);
}

/**
 * Round 1's rating. The workflow's view reaches here unparsed, so a case still running code from
 * before rounds were kept has no `rounds`: its only rating is round 1's when it never reopened.
 */
function firstRoundRating(view: CaseViewV1): number | null {
  const rounds = view.satisfaction.rounds ?? [];
  if (rounds.length === 0) return view.round === 1 ? view.satisfaction.rating : null;
  return rounds.find((r) => r.round === 1)?.rating ?? null;
}

/** Every round's rating, oldest first; a view from code before rounds were kept holds only the latest. */
function everyRating(view: CaseViewV1): number[] {
  const rounds = view.satisfaction.rounds ?? [];
  if (rounds.length > 0) return rounds.map((r) => r.rating);
  return view.satisfaction.rating === null ? [] : [view.satisfaction.rating];
}

export const waybillKey = (carrier: string, waybillNo: string) => `${carrier}/${waybillNo}`;

function waybillsOf(view: CaseViewV1): string[] {
  const parcels = [view.order, view.resolution.returnShipment].flatMap((p) =>
    p?.carrier && p.waybillNo ? [waybillKey(p.carrier, p.waybillNo)] : [],
  );
  return [...new Set(parcels)];
}

/** The open cases about one parcel: its carrier's events go to each. */
export async function openCasesOnWaybill(cases: CaseModel, carrier: string, waybillNo: string): Promise<string[]> {
  const docs = await cases
    .find({ waybills: waybillKey(carrier, waybillNo), status: { $ne: 'closed' } }, { complaintId: 1 })
    .lean();
  return docs.map((d) => d.complaintId);
}

function columnsOf(view: CaseViewV1, version: number): Omit<CaseDoc, '_id'> {
  return {
    complaintId: view.complaintId,
    version,
    view,
    status: view.status,
    priority: view.priority,
    category: view.category,
    subType: view.subType,
    channel: view.channel,
    merchantId: view.order.merchantId,
    department: view.department ?? null,
    customerId: view.customer.id,
    sku: view.order.sku,
    waybills: waybillsOf(view),
    escalationLevel: view.escalationLevel,
    breached: view.breaches.length > 0,
    round: view.round,
    repeatOf: view.repeatOf,
    closeReason: view.closeReason,
    responsibility: view.investigation.brief?.responsibility ?? null,
    rating: view.satisfaction.rating,
    firstRating: firstRoundRating(view),
    ratings: everyRating(view),
    createdAt: new Date(view.createdAt),
    updatedAt: new Date(view.updatedAt),
    closedAt: view.closedAt ? new Date(view.closedAt) : null,
  };
}

/**
 * Writes version `version` of a case unless the stored one is as new or newer. The filter only
 * matches an older version; when the case exists at a newer one, the upsert collides on `_id` and
 * the duplicate-key error is the answer "a newer write already landed".
 */
export async function writeCase(cases: CaseModel, view: CaseViewV1, version: number): Promise<'written' | 'stale'> {
  try {
    await cases.updateOne(
      { _id: view.complaintId, version: { $lt: version } },
      { $set: columnsOf(view, version) },
      { upsert: true },
    );
    return 'written';
  } catch (err) {
    if (isDuplicateKey(err)) return 'stale';
    throw err;
  }
}

/**
 * Applies the changes a write sends after the first (the fields that changed since version `since`)
 * when the stored case is at `since`. `behind`: the store holds no case or another version than the
 * changes follow (a lost write, a restored backup), so only a whole view can bring it up to date.
 */
export async function applyCaseChanges(
  cases: CaseModel,
  complaintId: string,
  since: number,
  changes: CaseViewChanges,
  version: number,
): Promise<'written' | 'stale' | 'behind'> {
  const doc = await cases.findById(complaintId, { view: 1, version: 1 }).lean();
  if (doc && doc.version >= version) return 'stale';
  if (!doc || doc.version !== since) return 'behind';
  const view = applyViewChanges(doc.view as CaseViewV1, changes);
  const { matchedCount } = await cases.updateOne(
    { _id: complaintId, version: since },
    { $set: columnsOf(view, version) },
  );
  // Another write landed between the read and this one: decide again on what it left.
  return matchedCount === 1 ? 'written' : applyCaseChanges(cases, complaintId, since, changes, version);
}

export async function readCase(cases: CaseModel, complaintId: string): Promise<CaseViewV1 | null> {
  const doc = await cases.findById(complaintId, { view: 1 }).lean();
  return doc ? (doc.view as CaseViewV1) : null;
}

/** Who a case is about (they never change after intake): enough to tell whether a party may reach it, without reading the view. */
export async function readParties(cases: CaseModel, complaintId: string): Promise<Parties | null> {
  const doc = await cases.findById(complaintId, { customerId: 1, merchantId: 1 }).lean();
  return doc ? { customer: { id: doc.customerId }, order: { merchantId: doc.merchantId } } : null;
}

export interface CaseFilter {
  status?: Status;
  priority?: Priority;
  category?: Category;
  merchantId?: string;
  department?: string;
  customerId?: string;
  escalationLevel?: EscalationLevel;
  breached?: boolean;
  /** Opened at or after. */
  from?: Date;
  /** Opened before. */
  to?: Date;
}

/** Where the previous page ended: the last case's sort key. */
export interface CaseCursor {
  createdAt: Date;
  complaintId: string;
}

const CursorJson = z.tuple([z.iso.datetime(), z.string().min(1)]);

/** Opaque to clients: they hand back what they were given. */
export function encodeCursor(cursor: CaseCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.complaintId])).toString('base64url');
}

export function decodeCursor(text: string): CaseCursor | null {
  try {
    const parsed = CursorJson.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: new Date(parsed.data[0]), complaintId: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

export interface CasePage {
  items: CaseViewV1[];
  nextCursor: string | null;
}

export async function listCases(
  cases: CaseModel,
  filter: CaseFilter,
  page: { limit: number; after?: CaseCursor },
): Promise<CasePage> {
  const { from, to, ...equal } = filter;
  const conditions: Record<string, unknown>[] = [
    Object.fromEntries(Object.entries(equal).filter(([, v]) => v !== undefined)),
  ];
  if (from || to) conditions.push({ createdAt: { ...(from && { $gte: from }), ...(to && { $lt: to }) } });
  if (page.after) {
    const { createdAt, complaintId } = page.after;
    conditions.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, complaintId: { $lt: complaintId } }] });
  }
  // One more than asked tells whether another page exists without a count.
  const docs = await cases
    .find({ $and: conditions }, { view: 1, createdAt: 1, complaintId: 1 })
    .sort(NEWEST_FIRST)
    .limit(page.limit + 1)
    .lean();
  const items = docs.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map((d) => d.view as CaseViewV1),
    nextCursor:
      docs.length > page.limit && last
        ? encodeCursor({ createdAt: last.createdAt, complaintId: last.complaintId })
        : null,
  };
}
