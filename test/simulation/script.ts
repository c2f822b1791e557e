/**
 * A case's script: everything random about one simulated case, drawn from a seeded PRNG so
 * `(seed, n)` always gives the same script. The driver (driver.ts) plays it; the model and the
 * invariants judge what came of it. Scripts are plain JSON, saved beside a violating history.
 */

export type Priority = 'high' | 'medium' | 'low';
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';
/** How a person acts on their step: in time, after the deadline, days late, twice, or never. */
export type Timing = 'on_time' | 'late' | 'very_late' | 'twice' | 'never';
export type StepName =
  | 'assign' | 'first_response' | 'evidence' | 'merchant_reply' | 'extend' | 'brief' | 'propose' | 'approval'
  | 'return_shipment' | 'return_received' | 'repair' | 'customer_response' | 'satisfaction';
export type FaultService = 'sms' | 'merchants' | 'payments' | 'carriers';

export interface Act {
  timing: Timing;
  /** Real delay drawn for this act (sim ms after its stage began), already shaped by `timing`. */
  delayMs: number;
}

export interface ProposalScript {
  type: 'refund' | 'partial_refund' | 'exchange' | 'repair' | 'resend_parts' | 'compensation' | 'coupon' | 'apology' | 'referral';
  amountFen?: number;
  couponFen?: number;
  act: Act;
  approval: { decision: 'approve' | 'reject'; by: 'supervisor' | 'ops_manager' | 'compliance' | 'agent' | 'escalated'; act: Act };
}

export interface FaultScript {
  before: StepName | 'open';
  service: FaultService;
  mode: 'error' | 'timeout' | 'decline';
  rate: number;
  count: number;
}

export interface CaseScript {
  seed: number;
  n: number;
  arrival: { dayKind: DayKind; hour: number; minute: number; skipDays: number };
  /** Days after the arrival date (local) that the case's calendar marks as holidays / make-up workdays. */
  extraHolidays: number[];
  extraMakeUpDays: number[];
  priority: Priority;
  channel: string;
  category: string;
  subType: string;
  locale: 'zh-CN' | 'en';
  amountPaidFen: number;
  withWaybill: boolean;
  assign: Act;
  firstResponse: Act & { requestEvidence: boolean; badWordingFirst: boolean };
  evidence: Act;
  merchantReply: Act;
  extend: (Act & { enabled: boolean });
  brief: Act;
  /** Round 1 proposals (a rejection moves to the next); round 2 uses `round2`. */
  proposals: ProposalScript[];
  round2: ProposalScript[];
  returnShipment: Act;
  returnReceived: Act & { inspection: 'ok' | 'rejected' };
  repair: Act;
  customerResponse: Act & { accept: boolean };
  satisfaction: Act & { rating: number };
  /** Actions tried at a stage where they do not fit: each must be refused. */
  wrongOrder: Array<{ before: StepName; action: 'satisfaction' | 'customer_response' | 'approval' | 'propose' | 'return_shipment' }>;
  faults: FaultScript[];
  /** Hook for the workflow side's forced continue-as-new (a policy option); null = not forced. */
  continueAsNewEvery: number | null;
}

// ---- seeded PRNG (mulberry32 over a mixed seed) ----

export class Rng {
  private s: number;
  constructor(seed: number, stream: number) {
    this.s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
    for (let i = 0; i < 4; i++) this.next();
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): T {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  }
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Spec §2 categories and sub-types (written out here, not imported). */
const SUBTYPES: Record<string, string[]> = {
  product: ['quality_defect', 'not_as_described', 'function_mismatch', 'expired'],
  logistics: ['delayed', 'lost', 'damaged_in_transit', 'false_delivery'],
  service: ['rude_agent', 'slow_reply', 'broken_promise'],
  after_sales: ['refund_blocked', 'exchange_blocked', 'warranty_dispute', 'compensation_dispute'],
  compliance: ['counterfeit', 'false_advertising', 'ip_infringement'],
  other: ['policy_question', 'suggestion', 'other'],
};
const CHANNELS = ['app', 'web', 'complaint_centre', 'order_after_sales', 'weibo', 'wechat', 'douyin', 'third_party', 'phone', 'email', 'sms'];

/** A person's act: `window` is what "in time" means for this step. */
function act(r: Rng, window: number, neverWeight = 0.06): Act {
  const timing = r.weighted<Timing>([['on_time', 0.62], ['late', 0.16], ['very_late', 0.06], ['twice', 0.1], ['never', neverWeight]]);
  const delayMs =
    timing === 'late' ? window + r.int(1, 180) * MIN
      : timing === 'very_late' ? window * r.int(2, 6) + r.int(0, 48) * HOUR
        : Math.max(MIN, Math.floor(window * r.next() * 0.9));
  return { timing, delayMs };
}

function proposal(r: Rng, paid: number, category: string, priority: Priority): ProposalScript {
  const type = r.pick(['refund', 'refund', 'partial_refund', 'exchange', 'repair', 'resend_parts', 'compensation', 'coupon', 'apology', 'referral'] as const);
  const amount = () => r.weighted<number>([[r.int(100, Math.max(100, paid)), 0.6], [r.int(50_001, 90_000), 0.25], [paid + r.int(1, 5000), 0.15]]);
  const p: ProposalScript = {
    type,
    act: act(r, priority === 'high' ? 2 * HOUR : 4 * HOUR),
    approval: {
      decision: r.chance(0.8) ? 'approve' : 'reject',
      by: r.weighted([[category === 'compliance' ? 'compliance' : 'supervisor', 0.7], ['escalated', 0.15], ['ops_manager', 0.07], ['agent', 0.04], ['compliance', 0.04]] as const),
      act: act(r, 4 * HOUR, 0.03),
    },
  };
  if (type === 'refund' || type === 'partial_refund' || type === 'compensation') p.amountFen = amount();
  if (type === 'coupon' || r.chance(0.1)) p.couponFen = r.int(500, 2_000);
  return p;
}

export function generateScript(seed: number, n: number): CaseScript {
  const r = new Rng(seed, n);
  const category = r.weighted([['product', 0.35], ['logistics', 0.2], ['service', 0.1], ['after_sales', 0.15], ['compliance', 0.1], ['other', 0.1]] as const);
  const priority = r.weighted<Priority>([['low', 0.5], ['medium', 0.35], ['high', 0.15]]);
  const amountPaidFen = r.weighted<number>([[r.int(990, 49_900), 0.6], [r.int(50_000, 200_000), 0.4]]);
  const handling = priority === 'high' ? 2 * HOUR : priority === 'medium' ? 4 * HOUR : 24 * HOUR;
  // Arrival minutes cluster around the service-hour edges now and then (08:59, 09:00, 20:45, 21:00 …).
  const edge = r.chance(0.25);
  const hour = edge ? r.pick([8, 9, 20, 21]) : r.int(0, 23);
  const minute = edge ? r.pick([0, 1, 44, 45, 46, 59]) : r.int(0, 59);
  const steps: StepName[] = ['assign', 'first_response', 'brief', 'propose', 'approval', 'customer_response', 'satisfaction'];
  const faults: FaultScript[] = [];
  for (let i = r.weighted<number>([[0, 0.55], [1, 0.35], [2, 0.1]]); i > 0; i--) {
    const mode = r.weighted([['error', 0.6], ['decline', 0.25], ['timeout', 0.15]] as const);
    faults.push({
      before: r.pick(['open', ...steps] as const),
      service: r.pick(['sms', 'merchants', 'payments', 'carriers'] as const),
      mode,
      rate: r.pick([1, 1, 0.5]),
      // A long outage now and then (more than any retry budget); timeouts cost real seconds, so few.
      count: mode === 'timeout' ? r.int(1, 2) : r.weighted<number>([[r.int(1, 3), 0.7], [40, 0.3]]),
    });
  }
  return {
    seed,
    n,
    arrival: { dayKind: r.weighted<DayKind>([['workday', 0.5], ['weekend', 0.2], ['holiday', 0.15], ['makeup', 0.15]]), hour, minute, skipDays: r.int(0, 3) },
    extraHolidays: r.chance(0.3) ? [r.int(1, 6)] : [],
    extraMakeUpDays: r.chance(0.15) ? [r.int(1, 6)] : [],
    priority,
    channel: r.pick(CHANNELS),
    category,
    subType: r.pick(SUBTYPES[category]),
    locale: r.chance(0.15) ? 'en' : 'zh-CN',
    amountPaidFen,
    withWaybill: category === 'logistics' || r.chance(0.2),
    assign: act(r, handling),
    firstResponse: { ...act(r, 15 * MIN), requestEvidence: r.chance(0.2), badWordingFirst: r.chance(0.1) },
    evidence: act(r, DAY),
    merchantReply: act(r, DAY, 0.25),
    extend: { ...act(r, 2 * DAY, 0), enabled: r.chance(0.15) },
    brief: act(r, 3 * DAY),
    proposals: [proposal(r, amountPaidFen, category, priority), proposal(r, amountPaidFen, category, priority), proposal(r, amountPaidFen, category, priority)],
    round2: [proposal(r, amountPaidFen, category, priority), proposal(r, amountPaidFen, category, priority)],
    returnShipment: act(r, 7 * DAY),
    returnReceived: { ...act(r, 7 * DAY), inspection: r.chance(0.85) ? 'ok' : 'rejected' },
    repair: act(r, 3 * DAY),
    customerResponse: { ...act(r, DAY, 0.3), accept: r.chance(0.8) },
    satisfaction: { ...act(r, 3 * DAY, 0.2), rating: r.weighted<number>([[5, 0.4], [4, 0.25], [3, 0.15], [2, 0.1], [1, 0.1]]) },
    wrongOrder: r.chance(0.3) ? [{ before: r.pick(steps), action: r.pick(['satisfaction', 'customer_response', 'approval', 'propose', 'return_shipment'] as const) }] : [],
    faults,
    continueAsNewEvery: r.chance(0.2) ? r.int(40, 400) : null,
  };
}
