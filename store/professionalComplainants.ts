import { bigrams, bigramSimilarity } from '../shared/similarity';
import type { Store } from './connection';

/**
 * Suspected professional complainants (docs/domain.md §11.5): customers with many cases in a
 * window whose texts are alike across merchants, listed with the evidence for legal review. The
 * list decides nothing: no case, customer or merchant changes because of it.
 */

export interface ProfessionalRule {
  from: Date;
  to: Date;
  minCases: number;
  minMerchants: number;
  minSimilarity: number;
}

export interface SimilarPair {
  a: string;
  b: string;
  similarity: number;
}

export interface Suspect {
  customerId: string;
  /** The customer's cases opened in the window. */
  cases: number;
  merchants: string[];
  /** Merchants whose cases have a text alike to a text at another merchant. */
  similarMerchants: string[];
  maxSimilarity: number;
  /** The cases of the alike texts, oldest first. */
  evidence: Array<{ complaintId: string; merchantId: string; createdAt: string; description: string }>;
  /** Alike pairs at two merchants, most alike first; at most MAX_PAIRS of `pairCount`. */
  pairs: SimilarPair[];
  pairCount: number;
}

/** Bounds on what one listing reads: the customers with most cases, and each one's newest cases. */
const MAX_CUSTOMERS = 200;
const MAX_CASES_PER_CUSTOMER = 200;
const MAX_PAIRS = 50;

interface Candidate {
  _id: string;
  count: number;
  merchants: string[];
}

interface CaseText {
  complaintId: string;
  customerId: string;
  merchantId: string;
  createdAt: Date;
  view: { description: string };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export async function professionalComplainants(store: Store, rule: ProfessionalRule): Promise<Suspect[]> {
  const opened = { createdAt: { $gte: rule.from, $lt: rule.to } };
  const candidates = (
    await store.cases.aggregate<Candidate>([
      { $match: opened },
      { $group: { _id: '$customerId', count: { $sum: 1 }, merchants: { $addToSet: '$merchantId' } } },
      { $match: { count: { $gte: rule.minCases } } },
      { $sort: { count: -1, _id: 1 } },
      { $limit: MAX_CUSTOMERS },
    ])
  ).filter((c) => c.merchants.length >= rule.minMerchants);

  const suspects: Suspect[] = [];
  for (const candidate of candidates) {
    const texts = await store.cases
      .find(
        { customerId: candidate._id, ...opened },
        { complaintId: 1, customerId: 1, merchantId: 1, createdAt: 1, 'view.description': 1 },
      )
      .sort({ createdAt: -1 })
      .limit(MAX_CASES_PER_CUSTOMER)
      .lean<CaseText[]>();
    const grams = texts.map((t) => bigrams(t.view.description));
    const pairs: SimilarPair[] = [];
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        // Alike texts at one merchant are one grievance told twice; across merchants they are a pattern.
        if (texts[i].merchantId === texts[j].merchantId) continue;
        const similarity = bigramSimilarity(grams[i], grams[j]);
        if (similarity >= rule.minSimilarity)
          pairs.push({ a: texts[i].complaintId, b: texts[j].complaintId, similarity: round3(similarity) });
      }
    }
    const inPairs = new Set(pairs.flatMap((p) => [p.a, p.b]));
    const evidence = texts.filter((t) => inPairs.has(t.complaintId)).reverse();
    const similarMerchants = [...new Set(evidence.map((t) => t.merchantId))].sort();
    if (similarMerchants.length < rule.minMerchants) continue;
    pairs.sort((x, y) => y.similarity - x.similarity || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
    suspects.push({
      customerId: candidate._id,
      cases: candidate.count,
      merchants: [...candidate.merchants].sort(),
      similarMerchants,
      maxSimilarity: pairs[0].similarity,
      evidence: evidence.map((t) => ({
        complaintId: t.complaintId,
        merchantId: t.merchantId,
        createdAt: t.createdAt.toISOString(),
        description: t.view.description,
      })),
      pairs: pairs.slice(0, MAX_PAIRS),
      pairCount: pairs.length,
    });
  }
  return suspects.sort(
    (x, y) =>
      y.similarMerchants.length - x.similarMerchants.length ||
      y.cases - x.cases ||
      x.customerId.localeCompare(y.customerId),
  );
}
