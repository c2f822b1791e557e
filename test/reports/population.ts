import { SUB_TYPES, type Category, type Channel, type Priority } from '../../shared/domain';
import type { ProposeResolutionV1 } from '../../shared/commands';
import { complaintWorkflowId } from '../../shared/identity';

/**
 * The cases the summary test drives: a fixed, seeded population, so every run drives the same
 * few hundred lifecycles. Each plan says what people will do to its case; the test keeps its own
 * tally of what that does to every figure of the report.
 *
 * Waves (Shanghai time, D a day chosen when the suite starts):
 * - pre   D-1 09:30, before the report's period: must not count, except SLA facts that fall inside it;
 * - A     D 10:00, the bulk, incl. late first responses and late second-round proposals;
 * - early D+1 07:30 (off hours; still D in UTC, so a day in the wrong zone would show);
 * - B     D+1 14:00, incl. repeats of wave A cases closed the day before;
 * - C     the last day, left open at various stages.
 */

export type Wave = 'pre' | 'A' | 'early' | 'B' | 'C';

/** What the customer (and staff) do with the round-1 solution. */
export type Round1 =
  /** accept and rate at once (3–5): closed, resolved. */
  | 'rate_now'
  /** accept, rate (3–5) the next afternoon, after the callback. */
  | 'rate_later'
  /** accept, never rate: closed no_feedback after callback + 3 days. */
  | 'no_feedback'
  /** never answer the solution: the objection window passes; rate (3–5) the next afternoon. */
  | 'silent_then_rate'
  /** never answer anything: closed no_feedback. */
  | 'silent_no_feedback'
  /** accept and rate 1–2 at once: reopened as round 2. */
  | 'low_rating'
  /** object to the solution: reopened as round 2. */
  | 'object'
  /** Wave C: opened only / answered without a brief / solution proposed; all left open. */
  | 'open_new'
  | 'open_answered'
  | 'open_proposed';

/** Round 2 after a reopening. */
export type Round2 =
  /** new solution, accepted, rated 3–5: closed, resolved in round 2. */
  | 'rate_now'
  /** rated 1–2 again: closed for quality review. */
  | 'low_again'
  /** objected again: closed for quality review. */
  | 'object_again'
  /** accepted, never rated: closed no_feedback. */
  | 'no_feedback'
  /** no new proposal for a day (breaches up the ladder), then as rate_now. */
  | 'late_proposal';

export type Proposal = Omit<ProposeResolutionV1, 'note'>;
export type ResponsibilityKey = 'platform' | 'merchant' | 'carrier' | 'customer' | 'undetermined';

export interface Plan {
  key: string;
  wave: Wave;
  complaintId: string;
  attempt: number;
  repeatOf: string | null;
  customerId: string;
  orderId: string;
  merchantId: string;
  sku: string;
  amountPaidFen: number;
  category: Category;
  subType: string;
  channel: Channel;
  priority: Priority;
  responsibility: ResponsibilityKey;
  /** No answer until the 15-minute deadline was missed (wave A only). */
  lateFirstResponse: boolean;
  /** The merchant answers its copy; a silent one misses its 24 h (only where the case lives that long). */
  merchantReplies: boolean;
  round1: Round1;
  rating1: number | null;
  proposal1: Proposal;
  round2: Round2 | null;
  rating2: number | null;
  proposal2: Proposal | null;
}

/** mulberry32: a small seeded generator, so the population never changes between runs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weights<T extends string> = Array<[T, number]>;

function weighted<T extends string>(r: () => number, weights: Weights<T>): T {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [value, w] of weights) {
    x -= w;
    if (x < 0) return value;
  }
  return weights[weights.length - 1][0];
}

/** `quota` spelled out as a shuffled list: exact counts of each outcome, in an order of its own. */
function deal<T>(r: () => number, quota: Array<[T, number]>): T[] {
  const list = quota.flatMap(([value, n]) => Array.from({ length: n }, () => value));
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

const MERCHANTS: Weights<string> = [
  ['m-01', 22],
  ['m-02', 19],
  ['m-03', 16],
  ['m-04', 14],
  ['m-05', 12],
  ['m-06', 10],
  ['m-07', 9],
  ['m-08', 8],
  ['m-09', 7],
  ['m-10', 6],
  ['m-11', 5],
  ['m-12', 4],
  ['m-13', 3],
  ['m-14', 2],
];
const SKUS: Weights<string> = [
  ['sku-kettle', 20],
  ['sku-phone', 17],
  ['sku-shoes', 15],
  ['sku-tea', 13],
  ['sku-lamp', 11],
  ['sku-jacket', 10],
  ['sku-rice', 9],
  ['sku-blender', 8],
  ['sku-case', 7],
  ['sku-mask', 6],
  ['sku-towel', 5],
  ['sku-pen', 4],
  ['sku-cable', 3],
  ['sku-mug', 2],
  ['sku-socks', 1],
];
const CHANNELS: Weights<Channel> = [
  ['app', 30],
  ['web', 14],
  ['order_after_sales', 10],
  ['complaint_centre', 8],
  ['wechat', 8],
  ['phone', 8],
  ['weibo', 5],
  ['douyin', 5],
  ['third_party', 4],
  ['email', 4],
  ['sms', 3],
];
const CATEGORIES: Weights<Exclude<Category, 'compliance'>> = [
  ['product', 34],
  ['logistics', 22],
  ['service', 14],
  ['after_sales', 16],
  ['other', 9],
];
const RESPONSIBILITY: Weights<ResponsibilityKey> = [
  ['merchant', 40],
  ['carrier', 22],
  ['platform', 16],
  ['customer', 12],
  ['undetermined', 10],
];
const PRIORITIES: Weights<Priority> = [
  ['medium', 60],
  ['low', 28],
  ['high', 12],
];
const PAID = [4_900, 12_900, 29_900, 45_000];

/** Round-1 solutions an agent grants alone (≤ 500 CNY); a repeat's order was already refunded. */
function firstSolution(r: () => number, paid: number, repeat: boolean): Proposal {
  const kind = repeat
    ? weighted(r, [
        ['coupon', 3],
        ['compensation', 3],
        ['resend_parts', 2],
        ['referral', 1],
      ])
    : weighted(r, [
        ['refund', 5],
        ['partial_refund', 3],
        ['compensation', 2],
        ['coupon', 2],
        ['resend_parts', 2],
        ['referral', 1],
        ['refund_coupon', 2],
      ]);
  switch (kind) {
    case 'refund':
      return { type: 'refund', amountFen: paid };
    case 'partial_refund':
      return { type: 'partial_refund', amountFen: Math.floor(paid / 2) };
    case 'refund_coupon':
      return { type: 'refund', amountFen: paid, couponFen: 500 };
    case 'compensation':
      return { type: 'compensation', amountFen: 2_000 };
    case 'coupon':
      return { type: 'coupon', couponFen: 1_000 };
    default:
      return { type: kind };
  }
}

/**
 * Round 2 never refunds again (the order may be refunded in full already), and compensates only
 * where the order has room: money paid on a case never passes what its order paid (round 1's
 * refund, compensation and coupon count). Otherwise a coupon, which that cap does not cover.
 */
function secondSolution(r: () => number, roomFen: number): Proposal {
  const kind = weighted(r, [
    ['coupon', 3],
    ['compensation', 3],
    ['resend_parts', 2],
    ['referral', 1],
  ]);
  if (kind === 'compensation' && roomFen >= 3_000) return { type: 'compensation', amountFen: 3_000 };
  if (kind === 'coupon' || kind === 'compensation') return { type: 'coupon', couponFen: 2_000 };
  return { type: kind };
}

/** What a round-1 solution pays out on its case. */
const paidOut = (p: Proposal) =>
  (p.type === 'refund' || p.type === 'partial_refund' || p.type === 'compensation' ? (p.amountFen ?? 0) : 0) +
  (p.couponFen ?? 0);

const between = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

interface WaveSpec {
  wave: Wave;
  round1: Array<[Round1, number]>;
  round2: Array<[Round2, number]>;
}

const WAVES: WaveSpec[] = [
  {
    wave: 'pre',
    round1: [
      ['rate_now', 4],
      ['rate_later', 2],
    ],
    round2: [],
  },
  {
    wave: 'A',
    round1: [
      ['rate_now', 42],
      ['rate_later', 18],
      ['no_feedback', 14],
      ['silent_then_rate', 12],
      ['low_rating', 34],
      ['object', 30],
    ],
    round2: [
      ['rate_now', 22],
      ['low_again', 10],
      ['object_again', 10],
      ['no_feedback', 10],
      ['late_proposal', 12],
    ],
  },
  {
    wave: 'early',
    round1: [
      ['rate_now', 8],
      ['rate_later', 4],
      ['low_rating', 5],
      ['object', 3],
    ],
    round2: [
      ['rate_now', 3],
      ['low_again', 2],
      ['object_again', 1],
      ['no_feedback', 2],
    ],
  },
  {
    wave: 'B',
    round1: [
      ['rate_now', 26],
      ['no_feedback', 10],
      ['silent_no_feedback', 10],
      ['low_rating', 18],
      ['object', 16],
    ],
    round2: [
      ['rate_now', 12],
      ['low_again', 7],
      ['object_again', 7],
      ['no_feedback', 8],
    ],
  },
  {
    wave: 'C',
    round1: [
      ['open_new', 4],
      ['open_answered', 4],
      ['open_proposed', 4],
    ],
    round2: [],
  },
];

/** Wave B's repeats: complaints about wave A cases that closed resolved on day D. */
const REPEATS = 15;
/** Wave A cases that miss the first response. */
const LATE_FIRST_RESPONSES = 12;

/** Whether the case stays open a day after the merchant's copy went out, so a silent merchant is a breach. */
export function livesPastMerchantWindow(wave: Wave, round1: Round1, round2: Round2 | null): boolean {
  if (wave === 'pre') return round1 === 'rate_later';
  if (wave === 'A')
    return (
      ['rate_later', 'no_feedback', 'silent_then_rate'].includes(round1) ||
      round2 === 'no_feedback' ||
      round2 === 'late_proposal'
    );
  if (wave === 'early') return round2 === 'no_feedback';
  if (wave === 'B') return ['no_feedback', 'silent_no_feedback'].includes(round1) || round2 === 'no_feedback';
  return false;
}

/** The merchant stays silent and the case outlives the 24 h: a merchant_reply breach. */
/** docs/domain.md §6.2: a service complaint is about platform staff, not the merchant's to answer: no copy, no merchant deadline. */
export const merchantCopied = (p: Plan) => p.category !== 'service';

export const merchantMisses = (p: Plan) =>
  merchantCopied(p) && !p.merchantReplies && livesPastMerchantWindow(p.wave, p.round1, p.round2);

/** The case closes on its own: nobody answers the satisfaction callback. */
export const closesWithoutFeedback = (p: Plan) =>
  p.round2 === 'no_feedback' ||
  (p.round2 === null && (p.round1 === 'no_feedback' || p.round1 === 'silent_no_feedback'));

export function population(seed = 20261123): Plan[] {
  const r = rng(seed);
  const plans: Plan[] = [];
  for (const spec of WAVES) {
    const round1s = deal(r, spec.round1);
    const round2s = deal(r, spec.round2);
    const reopened = round1s.filter((x) => x === 'low_rating' || x === 'object').length;
    if (reopened !== round2s.length)
      throw new Error(`wave ${spec.wave}: ${reopened} reopenings but ${round2s.length} second rounds`);
    const late =
      spec.wave === 'A'
        ? new Set(
            deal(r, [
              [true, LATE_FIRST_RESPONSES],
              [false, round1s.length - LATE_FIRST_RESPONSES],
            ]).flatMap((x, i) => (x ? [i] : [])),
          )
        : new Set<number>();
    const repeatsOf =
      spec.wave === 'B' ? plans.filter((p) => p.wave === 'A' && p.round1 === 'rate_now').slice(0, REPEATS) : [];
    if (repeatsOf.length !== (spec.wave === 'B' ? REPEATS : 0)) throw new Error('not enough wave A cases to repeat');
    round1s.forEach((round1, i) => {
      const key = `${spec.wave}${String(i).padStart(3, '0')}`;
      const original = repeatsOf[i];
      const reopens = round1 === 'low_rating' || round1 === 'object';
      const round2 = reopens ? (round2s.pop() ?? null) : null;
      // Compliance cases need the compliance team's approval; kept to plain single-round paths.
      const compliance =
        !original &&
        spec.wave !== 'C' &&
        spec.wave !== 'pre' &&
        ['rate_now', 'rate_later', 'no_feedback'].includes(round1) &&
        r() < 0.08;
      const category: Category = original?.category ?? (compliance ? 'compliance' : weighted(r, CATEGORIES));
      const subTypes = SUB_TYPES[category] as readonly string[];
      const subType = original?.subType ?? subTypes[Math.floor(r() * subTypes.length)];
      const customerId = original?.customerId ?? `c-${key}`;
      const orderId = original?.orderId ?? `o-${key}`;
      const attempt = original ? 2 : 1;
      const amountPaidFen = original?.amountPaidFen ?? PAID[Math.floor(r() * PAID.length)];
      // A late second-round proposal is due in the handling window of its priority; low (24 h) would not miss twice in a day.
      const priority: Priority = round2 === 'late_proposal' ? 'medium' : weighted(r, PRIORITIES);
      // Drawn in this order, so the seed gives the same population as before the compensation cap.
      const merchantId = original?.merchantId ?? weighted(r, MERCHANTS);
      const sku = original?.sku ?? weighted(r, SKUS);
      const channel = weighted(r, CHANNELS);
      const responsibility = weighted(r, RESPONSIBILITY);
      const merchantReplies = livesPastMerchantWindow(spec.wave, round1, round2) ? r() < 0.55 : true;
      const rating1 =
        round1 === 'low_rating'
          ? between(r, 1, 2)
          : ['rate_now', 'rate_later', 'silent_then_rate'].includes(round1)
            ? between(r, 3, 5)
            : null;
      const proposal1 = firstSolution(r, amountPaidFen, original !== undefined);
      const rating2 =
        round2 === 'low_again'
          ? between(r, 1, 2)
          : round2 === 'rate_now' || round2 === 'late_proposal'
            ? between(r, 3, 5)
            : null;
      const proposal2 = round2 ? secondSolution(r, amountPaidFen - paidOut(proposal1)) : null;
      plans.push({
        key,
        wave: spec.wave,
        complaintId: complaintWorkflowId(customerId, orderId, subType, attempt),
        attempt,
        repeatOf: original?.complaintId ?? null,
        customerId,
        orderId,
        merchantId,
        sku,
        amountPaidFen,
        category,
        subType,
        channel,
        priority,
        responsibility,
        lateFirstResponse: late.has(i),
        merchantReplies,
        round1,
        rating1,
        proposal1,
        round2,
        rating2,
        proposal2,
      });
    });
  }
  // Closed at once although the merchant never answered: its 24 h copy deadline ends with the case.
  for (const p of plans
    .filter((x) => x.wave === 'A' && x.round1 === 'rate_now' && !x.lateFirstResponse && merchantCopied(x))
    .slice(-3))
    p.merchantReplies = false;
  return plans;
}
