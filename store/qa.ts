import { createHmac, randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { QA_ITEMS, type QaItem } from '../shared/qa';
import type { CaseModel } from './cases';
import { isDuplicateKey, onlyDuplicates } from './mongoErrors';

/**
 * Sampling QA (docs/domain.md §11.3). A month's draw is recorded once, with the seed that made it:
 * drawing that month again answers the recorded sample, and anyone can recompute it from the seed and
 * the month's closed cases. Each drawn case is one review, scored by a supervisor against the checklist.
 */

const qaDrawSchema = new Schema(
  {
    /** The month, `YYYY-MM` in the platform's time zone. */
    _id: { type: String, required: true },
    seed: { type: String, required: true },
    share: { type: Number, required: true },
    minPerAgent: { type: Number, required: true },
    timeZone: { type: String, required: true },
    /** Cases closed that month and not drawn in an earlier month. */
    population: { type: Number, required: true },
    complaintIds: { type: [String], required: true },
    drawnBy: { type: String, required: true },
    drawnAt: { type: Date, required: true },
  },
  { collection: 'qa_draws', versionKey: false, minimize: false },
);

const checkSchema = new Schema(
  {
    item: { type: String, required: true },
    pass: { type: Boolean, required: true },
    note: { type: String, default: '' },
  },
  { _id: false },
);

const qaReviewSchema = new Schema(
  {
    /** The case: a case is drawn once, whatever months it closes in. */
    _id: { type: String, required: true },
    month: { type: String, required: true },
    /** Who owned the case when it closed; null when nobody did. */
    agentId: { type: String, default: null },
    closedAt: { type: Date, required: true },
    checks: { type: [checkSchema], default: undefined },
    reviewer: { type: String, default: null },
    scoredAt: { type: Date, default: null },
  },
  { collection: 'qa_reviews', versionKey: false, minimize: false },
);
qaReviewSchema.index({ month: -1, _id: 1 });
qaReviewSchema.index({ agentId: 1, month: 1 });

export type QaDrawDoc = InferSchemaType<typeof qaDrawSchema>;
export type QaDrawModel = Model<QaDrawDoc>;
export type QaReviewDoc = InferSchemaType<typeof qaReviewSchema>;
export type QaReviewModel = Model<QaReviewDoc>;

export function qaDrawModel(connection: Connection): QaDrawModel {
  return (connection.models.QaDraw as QaDrawModel | undefined) ?? connection.model('QaDraw', qaDrawSchema);
}
export function qaReviewModel(connection: Connection): QaReviewModel {
  return (connection.models.QaReview as QaReviewModel | undefined) ?? connection.model('QaReview', qaReviewSchema);
}

export interface Closed {
  complaintId: string;
  agentId: string | null;
  closedAt: Date;
}

/** A case's place in the draw: its HMAC under the seed, a keyed hash that orders the month at random. */
const rank = (seed: string, complaintId: string) => createHmac('sha256', seed).update(complaintId).digest('hex');

/**
 * The sample: `share` of the population rounded up, and at least `minPerAgent` of each agent's cases
 * (fewer only when the agent closed fewer). Every pick goes in the seed's order: each agent's first
 * cases, then the rest of the month until the share is reached.
 */
export function drawSample(population: readonly Closed[], seed: string, share: number, minPerAgent: number): string[] {
  const ordered = [...population].sort((a, b) => (rank(seed, a.complaintId) < rank(seed, b.complaintId) ? -1 : 1));
  const chosen = new Set<string>();
  const perAgent = new Map<string, number>();
  for (const c of ordered) {
    if (c.agentId === null) continue;
    const n = perAgent.get(c.agentId) ?? 0;
    if (n < minPerAgent) {
      chosen.add(c.complaintId);
      perAgent.set(c.agentId, n + 1);
    }
  }
  const target = Math.ceil(share * population.length);
  for (const c of ordered) {
    if (chosen.size >= target) break;
    chosen.add(c.complaintId);
  }
  return ordered.filter((c) => chosen.has(c.complaintId)).map((c) => c.complaintId);
}

/** The month's first instant and the next month's, in the time zone. */
export function monthRange(month: string, timeZone: string): { from: Date; to: Date } {
  const start = DateTime.fromISO(`${month}-01T00:00:00`, { zone: timeZone });
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

export interface QaStore {
  cases: CaseModel;
  qaDraws: QaDrawModel;
  qaReviews: QaReviewModel;
}

async function closedIn(store: QaStore, month: string, timeZone: string): Promise<Closed[]> {
  const { from, to } = monthRange(month, timeZone);
  const docs = await store.cases
    .find({ status: 'closed', closedAt: { $gte: from, $lt: to } }, { complaintId: 1, closedAt: 1, 'view.owner': 1 })
    .lean();
  const drawnBefore = new Set(
    (
      await store.qaReviews
        .find({ _id: { $in: docs.map((d) => d.complaintId) }, month: { $ne: month } }, { _id: 1 })
        .lean()
    ).map((r) => r._id),
  );
  return docs
    .filter((d) => !drawnBefore.has(d.complaintId))
    .map((d) => ({
      complaintId: d.complaintId,
      agentId: (d.view as { owner?: string | null } | undefined)?.owner ?? null,
      closedAt: d.closedAt as Date,
    }));
}

export interface DrawRequest {
  month: string;
  timeZone: string;
  share: number;
  minPerAgent: number;
  drawnBy: string;
}

/**
 * Draws the month once. `created` false: it was drawn before, and the recorded sample is the answer.
 * The reviews are written on every call (a repeated insert is a no-op), so a draw whose reviews were
 * cut short by a failure is completed by the next call.
 */
export async function drawMonth(store: QaStore, req: DrawRequest): Promise<{ draw: QaDrawDoc; created: boolean }> {
  const recorded: QaDrawDoc | null = await store.qaDraws.findById(req.month).lean();
  const population = await closedIn(store, req.month, recorded?.timeZone ?? req.timeZone);
  let draw: QaDrawDoc;
  let created = false;
  if (recorded) {
    draw = recorded;
  } else {
    const seed = randomBytes(16).toString('hex');
    const doc: QaDrawDoc = {
      _id: req.month,
      seed,
      share: req.share,
      minPerAgent: req.minPerAgent,
      timeZone: req.timeZone,
      population: population.length,
      complaintIds: drawSample(population, seed, req.share, req.minPerAgent),
      drawnBy: req.drawnBy,
      drawnAt: new Date(),
    };
    try {
      await store.qaDraws.create(doc);
      draw = doc;
      created = true;
    } catch (err) {
      // Another caller drew the month at the same moment: theirs is the draw.
      if (!isDuplicateKey(err)) throw err;
      draw = await store.qaDraws.findById(req.month).orFail().lean();
    }
  }
  const byId = new Map(population.map((c) => [c.complaintId, c]));
  const reviews = draw.complaintIds.flatMap((id) => {
    const c = byId.get(id);
    return c ? [{ _id: id, month: req.month, agentId: c.agentId, closedAt: c.closedAt }] : [];
  });
  try {
    if (reviews.length) await store.qaReviews.insertMany(reviews, { ordered: false });
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
  return { draw, created };
}

export interface ReviewFilter {
  month?: string;
  status?: 'pending' | 'scored';
  agentId?: string;
}

export async function listReviews(
  store: QaStore,
  filter: ReviewFilter,
  page: { limit: number; after?: { month: string; complaintId: string } },
) {
  const conditions: Record<string, unknown>[] = [];
  if (filter.month) conditions.push({ month: filter.month });
  if (filter.agentId) conditions.push({ agentId: filter.agentId });
  if (filter.status) conditions.push({ scoredAt: filter.status === 'scored' ? { $ne: null } : null });
  if (page.after) {
    const { month, complaintId } = page.after;
    conditions.push({ $or: [{ month: { $lt: month } }, { month, _id: { $gt: complaintId } }] });
  }
  const docs = await store.qaReviews
    .find(conditions.length ? { $and: conditions } : {})
    .sort({ month: -1, _id: 1 })
    .limit(page.limit + 1)
    .lean();
  const items = docs.slice(0, page.limit);
  const last = items.at(-1);
  return { items, next: docs.length > page.limit && last ? { month: last.month, complaintId: last._id } : null };
}

export type Score = Record<QaItem, { pass: boolean; note: string }>;

/** Scores a drawn case; scoring again replaces the score (the reviewer's correction). Null: the case was not drawn. */
export async function scoreReview(
  store: QaStore,
  complaintId: string,
  score: Score,
  reviewer: string,
): Promise<QaReviewDoc | null> {
  const checks = QA_ITEMS.map((item) => ({ item, pass: score[item].pass, note: score[item].note }));
  return store.qaReviews
    .findOneAndUpdate({ _id: complaintId }, { $set: { checks, reviewer, scoredAt: new Date() } }, { new: true })
    .lean();
}

/** Per agent: cases drawn, scored, and how many passed each item of the checklist. */
export async function scoresPerAgent(store: QaStore, month?: string) {
  const docs = await store.qaReviews.find(month ? { month } : {}).lean();
  const agents = new Map<
    string,
    {
      drawn: number;
      scored: number;
      passed: number;
      checked: number;
      items: Record<string, { pass: number; fail: number }>;
    }
  >();
  for (const d of docs) {
    const key = d.agentId ?? '';
    const a = agents.get(key) ?? {
      drawn: 0,
      scored: 0,
      passed: 0,
      checked: 0,
      items: Object.fromEntries(QA_ITEMS.map((i) => [i, { pass: 0, fail: 0 }])),
    };
    a.drawn++;
    if (d.checks) {
      a.scored++;
      for (const c of d.checks) {
        a.checked++;
        if (c.pass) a.passed++;
        const item = a.items[c.item];
        if (item) item[c.pass ? 'pass' : 'fail']++;
      }
    }
    agents.set(key, a);
  }
  return [...agents]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([agentId, a]) => ({
      agentId: agentId || null,
      drawn: a.drawn,
      scored: a.scored,
      passRate: a.checked ? a.passed / a.checked : null,
      items: a.items,
    }));
}
