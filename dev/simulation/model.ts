/**
 * The simulation's reference model, written from the rules (docs/domain.md §3–§9), NOT from the
 * code: its own calendar arithmetic on a fixed UTC
 * offset (the simulation only generates `Etc/GMT±N` zones, so no time-zone library is needed), its
 * own reading of the policy figures, its own escalation ladder. Given a case's calendar and the
 * instants its stages started, it says when each deadline is due and which alerts each miss owes.
 *
 * Deliberately imports nothing from shared/calendar.ts or workflows/: a model that shares the
 * code's arithmetic cannot find the code's mistakes.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The calendar data of one case's policy, as the model reads it. */
export interface ModelCalendar {
  /** Whole hours east of UTC (the zone is `Etc/GMT∓N`). */
  offsetHours: number;
  /** Minutes after local midnight. docs/domain.md §4.1: 09:00–21:00, every calendar day. */
  serviceStartMin: number;
  serviceEndMin: number;
  /** ISO weekdays, 1 = Monday. */
  workingWeekdays: number[];
  holidays: string[];
  makeUpWorkdays: string[];
}

/** The policy figures the model needs, read from docs/domain.md (and the policy defaults it names). */
export const SPEC = {
  firstResponseMs: 15 * MINUTE,
  offHoursFirstResponseMs: HOUR,
  handlingMs: { high: 2 * HOUR, medium: 4 * HOUR, low: 24 * HOUR },
  investigationWorkingDays: 3,
  extendedInvestigationWorkingDays: 5,
  merchantReplyMs: 24 * HOUR,
  categoryTargetMs: { product: 72 * HOUR, logistics: 24 * HOUR } as Record<string, number | undefined>,
  approvalMs: 4 * HOUR,
  refundMs: 24 * HOUR,
  creditMs: 24 * HOUR,
  returnShipmentMs: 7 * DAY,
  returnInspectionMs: 7 * DAY,
  repairWorkingDays: 3,
  objectionWindowMs: 24 * HOUR,
  callbackAfterMs: { high: 12 * HOUR, medium: DAY, low: DAY },
  /** docs/domain.md §9.2: a high-priority callback comes within 24 h of execution. */
  highCallbackWithinMs: 24 * HOUR,
  answerWithinMs: 3 * DAY,
  approvalThresholdFen: 50_000,
  /** docs/domain.md §5.2: at the top rung a miss alerts ops again, up to this many times. */
  topRungReAlerts: 3,
  /** docs/domain.md §6.3: the customer's window for evidence asked for. */
  evidenceWorkingDays: 3,
  /** docs/domain.md §9.3: a reopened case is handled one level up: a supervisor (or the operations manager) proposes and owns round two. */
  roundTwoProposers: ['supervisor', 'ops_manager'],
  /** docs/domain.md §8.2: goods not shipped back in 7 days → a reminder, then (policy default, 2 days) the step is called off. */
  returnReminderGraceMs: 2 * DAY,
  /** docs/domain.md §2.2: a routine (low) case taken by an agent is settled (its solution proposed) within 30 min of service time. */
  routineHandlingMs: 30 * MINUTE,
  /** docs/domain.md §2.6: a case from Weibo, WeChat or Douyin gets a private message within 2 h of intake, day and night. */
  socialReplyMs: 2 * HOUR,
  /** docs/domain.md §7.9: the customer chooses among the merchant's options within 2 days (wall clock); then the owner is told and proposes. */
  customerChoiceMs: 2 * DAY,
  /** docs/domain.md §9.4: a high-priority customer is phoned back by a person within 24 h of the execution (calendar time). */
  phoneCallbackMs: 24 * HOUR,
  /** docs/domain.md §8.1: a notice the plan sends the merchant goes through within 24 h (calendar time), its clock running while it is retried. */
  merchantNoticeMs: 24 * HOUR,
  /** docs/domain.md §8.6: the lab's result of a joint third-party test within 10 working days (the project's default). */
  testingWorkingDays: 10,
  /** docs/domain.md §3.2: the person who must act is warned once, in service hours, at 75 % of the window. */
  warningShare: 0.75,
  /** docs/domain.md §2.2: a customer an agent marks extremely upset makes the case this priority. */
  upsetPriority: 'high',
  /** docs/domain.md §7.8: a return asked within 7 days of delivery (wall clock) is the customer's right. */
  noReasonReturnMs: 7 * DAY,
  /**
   * docs/domain.md §7.2: the working days a refund takes to arrive, per payment method (wallet, Alipay
   * and WeChat Pay at once, bank card 1–3, credit card 1–7); a method not known is told the usual 1–3.
   */
  refundArrivalDays: {
    wallet: [0, 0],
    alipay: [0, 0],
    wechat_pay: [0, 0],
    bank_card: [1, 3],
    credit_card: [1, 7],
  } as Record<string, readonly [number, number] | undefined>,
  usualRefundArrivalDays: [1, 3],
  /** docs/domain.md §9.6: the goodwill coupon of a trust notice: 10 CNY valid 7 days, unless the fault was the customer's. */
  trustCouponFen: 1_000,
  trustCouponValidDays: 7,
} as const;

/**
 * docs/domain.md §5.5, every wait has a clock: whom each deadline's clock names, so an open case's running deadline
 * always names a person. A window whose end moves the case by itself (the objection window, the
 * callback, the wait for the rating) names the case's owner, who sees where it went.
 */
export const NAMED_BY_KIND: Record<string, string> = {
  first_response: 'the agents, then the supervisor',
  handling: 'the agents, then the supervisor',
  investigation: 'the owner, then the supervisor',
  category_target: 'the owner, then the supervisor',
  proposal: 'the owner, then the supervisor',
  approval: 'the approver, then the operations manager',
  merchant_reply: 'the merchant, then merchant operations',
  refund: 'payments, then the supervisor',
  credit: 'payments, then the supervisor',
  return_shipment: 'the customer, then the owner',
  return_inspection: 'the merchant, then the supervisor',
  repair: 'the merchant, then the supervisor',
  evidence: 'the customer, then the owner',
  objection_window: 'the owner',
  satisfaction_callback: 'the owner',
  feedback: 'the owner',
  routine_handling: 'the owner, then the supervisor',
  social_reply: 'the agents, then the supervisor, at once day and night',
  customer_choice: 'the customer, then the owner',
  phone_callback: 'the owner, then the supervisor',
  merchant_notice: 'the owner, then the supervisor',
  third_party_testing: 'the owner (who chases the lab), then the supervisor',
};

/**
 * docs/domain.md §5.5: the longest a wait on the customer or the merchant may run before staff must have been told:
 * its policy window (goods back: the window and the reminder's grace), from `start`.
 */
export function partyWindowEnd(kind: string, start: number, cal: ModelCalendar): number | null {
  switch (kind) {
    case 'evidence':
      return endOfNthWorkingDayAfter(start, SPEC.evidenceWorkingDays, cal);
    case 'merchant_reply':
      return start + SPEC.merchantReplyMs;
    case 'return_shipment':
      return start + SPEC.returnShipmentMs + SPEC.returnReminderGraceMs;
    case 'return_inspection':
      return start + SPEC.returnInspectionMs;
    case 'repair':
      return endOfNthWorkingDayAfter(start, SPEC.repairWorkingDays, cal);
    case 'customer_choice':
      return start + SPEC.customerChoiceMs;
    case 'third_party_testing':
      return endOfNthWorkingDayAfter(start, SPEC.testingWorkingDays, cal);
    default:
      return null;
  }
}

/** The service days (opening, close) that lie wholly within [from, to]. */
export function serviceDaysWithin(
  from: number,
  to: number,
  cal: ModelCalendar,
): Array<{ open: number; close: number }> {
  const out: Array<{ open: number; close: number }> = [];
  let open = localMidnight(from, cal) + cal.serviceStartMin * MINUTE;
  if (open < from) open += DAY;
  // A fixed offset: every local day is 24 h long.
  for (; ; open += DAY) {
    const close = open - cal.serviceStartMin * MINUTE + cal.serviceEndMin * MINUTE;
    if (close > to) return out;
    out.push({ open, close });
  }
}

export type Priority = 'high' | 'medium' | 'low';

// ---- calendar arithmetic (fixed offset) ----

const pad = (n: number) => String(n).padStart(2, '0');

/** The local date (YYYY-MM-DD) of `ms`. */
export function localDate(ms: number, cal: ModelCalendar): string {
  const d = new Date(ms + cal.offsetHours * HOUR);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Minutes after local midnight (fractional). */
export function localMinute(ms: number, cal: ModelCalendar): number {
  const local = ms + cal.offsetHours * HOUR;
  return (((local % DAY) + DAY) % DAY) / MINUTE;
}

/** The instant of local midnight starting the local day of `ms`. */
export function localMidnight(ms: number, cal: ModelCalendar): number {
  const local = ms + cal.offsetHours * HOUR;
  return local - (((local % DAY) + DAY) % DAY) - cal.offsetHours * HOUR;
}

/** ISO weekday (1 = Monday) of the local date of `ms`. */
export function localWeekday(ms: number, cal: ModelCalendar): number {
  const d = new Date(ms + cal.offsetHours * HOUR).getUTCDay();
  return d === 0 ? 7 : d;
}

export function inService(ms: number, cal: ModelCalendar): boolean {
  const m = localMinute(ms, cal);
  return m >= cal.serviceStartMin && m < cal.serviceEndMin;
}

/** `ms` itself in service hours, else the next opening. */
export function nextOpening(ms: number, cal: ModelCalendar): number {
  if (inService(ms, cal)) return ms;
  const midnight = localMidnight(ms, cal);
  const todayOpen = midnight + cal.serviceStartMin * MINUTE;
  return ms < todayOpen ? todayOpen : todayOpen + DAY;
}

/** `durationMs` of service time after `ms`; a window used up exactly ends at its close. */
export function plusServiceTime(ms: number, durationMs: number, cal: ModelCalendar): number {
  let t = ms;
  let left = durationMs;
  while (left > 0) {
    t = nextOpening(t, cal);
    const close = localMidnight(t, cal) + cal.serviceEndMin * MINUTE;
    const take = Math.min(left, close - t);
    t += take;
    left -= take;
  }
  return t;
}

export function isWorkingDate(ms: number, cal: ModelCalendar): boolean {
  const date = localDate(ms, cal);
  if (cal.holidays.includes(date)) return false;
  if (cal.makeUpWorkdays.includes(date)) return true;
  return cal.workingWeekdays.includes(localWeekday(ms, cal));
}

/** 23:59:59.999 local of the `n`-th working day after the local date of `ms`. */
export function endOfNthWorkingDayAfter(ms: number, n: number, cal: ModelCalendar): number {
  let day = localMidnight(ms, cal) + 12 * HOUR; // noon: safe from any edge
  for (let counted = 0; counted < n;) {
    day += DAY;
    if (isWorkingDate(day, cal)) counted++;
  }
  return localMidnight(day, cal) + DAY - 1;
}

// ---- deadlines ----

export type Clock = 'service' | 'calendar' | 'working_days';

/** How one deadline kind is measured: its clock and its full policy length. */
export interface Window {
  clock: Clock;
  /** ms of service or calendar time, or a number of working days. */
  length: number;
}

export function windowOf(
  kind: string,
  priority: Priority,
  category: string,
  extended = false,
  crisis = false,
): Window | null {
  switch (kind) {
    // docs/domain.md §5.4, a crisis runs on the clock: the first response and the emergency window on the wall clock, day and night.
    case 'first_response':
      return { clock: crisis ? 'calendar' : 'service', length: SPEC.firstResponseMs };
    case 'handling':
      return { clock: crisis ? 'calendar' : 'service', length: SPEC.handlingMs[priority] };
    case 'proposal':
      return { clock: 'service', length: SPEC.handlingMs[priority] };
    case 'approval':
      return { clock: 'service', length: SPEC.approvalMs };
    case 'investigation':
      return {
        clock: 'working_days',
        length: extended ? SPEC.extendedInvestigationWorkingDays : SPEC.investigationWorkingDays,
      };
    case 'merchant_reply':
      return { clock: 'calendar', length: SPEC.merchantReplyMs };
    case 'category_target': {
      const ms = SPEC.categoryTargetMs[category];
      return ms ? { clock: 'calendar', length: ms } : null;
    }
    case 'refund':
      return { clock: 'calendar', length: SPEC.refundMs };
    case 'credit':
      return { clock: 'calendar', length: SPEC.creditMs };
    case 'return_shipment':
      return { clock: 'calendar', length: SPEC.returnShipmentMs };
    case 'return_inspection':
      return { clock: 'calendar', length: SPEC.returnInspectionMs };
    case 'repair':
      return { clock: 'working_days', length: SPEC.repairWorkingDays };
    case 'routine_handling':
      return { clock: 'service', length: SPEC.routineHandlingMs };
    // Day and night: the wall clock.
    case 'social_reply':
      return { clock: 'calendar', length: SPEC.socialReplyMs };
    case 'phone_callback':
      return { clock: 'calendar', length: SPEC.phoneCallbackMs };
    case 'merchant_notice':
      return { clock: 'calendar', length: SPEC.merchantNoticeMs };
    case 'third_party_testing':
      return { clock: 'working_days', length: SPEC.testingWorkingDays };
    default:
      return null;
  }
}

export function advance(from: number, w: Window, cal: ModelCalendar): number {
  if (w.clock === 'service') return plusServiceTime(from, w.length, cal);
  if (w.clock === 'calendar') return from + w.length;
  return endOfNthWorkingDayAfter(from, w.length, cal);
}

/**
 * The first due time of a deadline that started at `start`. first_response has its own rule
 * (docs/domain.md §3: off hours → next opening + 1 h); everything else is `start` advanced by its window.
 */
export function firstDue(
  kind: string,
  start: number,
  priority: Priority,
  category: string,
  cal: ModelCalendar,
  extended = false,
  crisis = false,
): number | null {
  if (kind === 'first_response' && crisis) return start + SPEC.firstResponseMs;
  if (kind === 'first_response') {
    return inService(start, cal)
      ? plusServiceTime(start, SPEC.firstResponseMs, cal)
      : nextOpening(start, cal) + SPEC.offHoursFirstResponseMs;
  }
  const w = windowOf(kind, priority, category, extended, crisis);
  return w ? advance(start, w, cal) : null;
}

export interface ExpectedAlert {
  kind: string;
  role: 'supervisor' | 'compliance' | 'ops_manager' | 'merchant_ops';
  rung: number;
  /** The miss. */
  missAt: number;
  /** When the alert must go out: at once for high priority and for the social reply (day and night), else at the next service opening. */
  sendAt: number;
}

/** A stretch the deadline's clock stood (the wait for the customer's evidence, docs/domain.md §6.3). */
export interface Pause {
  from: number;
  /** Infinity while the clock still stands. */
  to: number;
}

/**
 * docs/domain.md §6.3: the wait for the customer pauses the clock, so a pause that began before `due` (and after
 * `after`, the rung's start) moves it by its length; the rung that was running takes the shift.
 */
export function shiftedByPauses(due: number, pauses: Pause[], after = -Infinity): number {
  let shifted = due;
  for (const p of [...pauses].sort((a, b) => a.from - b.from))
    if (p.from >= after && p.from < shifted) shifted += p.to - p.from;
  return shifted;
}

/**
 * The ladder (docs/domain.md §5) for one deadline instance due at `d0` and met (or ended) at `end`: a miss at
 * D0 alerts the supervisor, a fresh full window → D1, a miss there alerts ops, each further miss
 * alerts ops again up to SPEC.topRungReAlerts. merchant_reply alerts merchant ops once. A
 * compliance case's approval goes to compliance first (docs/domain.md §7.5: only compliance decides it). Misses
 * within `tieMs` of `end` are left out (which came first is a race the model does not judge).
 * A wait that begins after its due time (`waitFrom`: an investigation reached only once the first
 * response came, days late) sees the miss when it begins and climbs one rung then, its next window
 * counted from there: nothing can alert for a step before anyone waits on it.
 * `pauses` move the rung that was running when each began (`shiftedByPauses`).
 */
export function ladder(
  kind: string,
  d0: number,
  end: number,
  priority: Priority,
  category: string,
  cal: ModelCalendar,
  extended = false,
  waitFrom = -Infinity,
  pauses: Pause[] = [],
  tieMs = MINUTE,
  crisis = false,
): { alerts: ExpectedAlert[]; uncertain: boolean } {
  const alerts: ExpectedAlert[] = [];
  let uncertain = false;
  const sendAt = (miss: number) => (priority === 'high' || kind === 'social_reply' ? miss : nextOpening(miss, cal));
  const w = windowOf(kind, priority, category, extended, crisis);
  let due = d0;
  let seenBefore = -Infinity;
  const maxRungs = kind === 'merchant_reply' ? 1 : 2 + SPEC.topRungReAlerts;
  for (let rung = 0; rung < maxRungs; rung++) {
    due = shiftedByPauses(due, pauses, seenBefore);
    if (Math.abs(due - end) <= tieMs) {
      uncertain = true;
      break;
    }
    if (due > end) break;
    const first = kind === 'approval' && category === 'compliance' ? 'compliance' : 'supervisor';
    const role = kind === 'merchant_reply' ? 'merchant_ops' : rung === 0 ? first : 'ops_manager';
    const seen = Math.max(due, waitFrom);
    seenBefore = seen;
    alerts.push({ kind, role, rung, missAt: due, sendAt: sendAt(seen) });
    if (!w) break;
    due = advance(seen, w, cal);
  }
  return { alerts, uncertain };
}

/**
 * docs/domain.md §9.2: the satisfaction callback comes its policy time after execution: a high-priority one (12 h)
 * inside the 24 h objection window, without waiting for its end; the others (1 day) when it ends.
 */
export function callbackAt(executedAt: number, priority: Priority, callNotReachedAt = Infinity): number {
  // docs/domain.md §9.4: the SMS is the phone call's fallback, at once when the call did not reach the customer.
  return Math.min(executedAt + SPEC.callbackAfterMs[priority], callNotReachedAt);
}

// ---- what a solution owes (docs/domain.md §7) ----

/** docs/domain.md §7.1: an extended warranty names 1 to 24 months. */
export const WARRANTY_MONTHS = { min: 1, max: 24 } as const;

/** docs/domain.md §7.3: the resolution types whose amount is money paid to the customer (a coupon's value is its own). */
const PAYS_MONEY = ['refund', 'partial_refund', 'compensation'];

/**
 * docs/domain.md §7.3–§7.5: who must approve a plan, given what the case pays out in all with it (the
 * plan's money and coupon, and what earlier plans paid): compliance decides every compliance case; a
 * public apology (reputation impact) or more than 500 CNY needs a supervisor; else the agent grants it.
 */
export function approvalOwed(
  category: string,
  type: string,
  plan: { amountFen?: number | null; couponFen?: number | null },
  paidBeforeFen: number,
  noReasonReturn = false,
): 'compliance' | 'supervisor' | null {
  // docs/domain.md §7.8: the no-reason return is granted without approval, whatever the amount or category.
  if (noReasonReturn) return null;
  if (category === 'compliance') return 'compliance';
  if (type === 'apology') return 'supervisor';
  const pays = (PAYS_MONEY.includes(type) ? (plan.amountFen ?? 0) : 0) + (plan.couponFen ?? 0);
  return paidBeforeFen + pays > SPEC.approvalThresholdFen ? 'supervisor' : null;
}

/**
 * docs/domain.md §7.8: a plan is the 7-day no-reason return when it is a return (a refund taking the
 * goods back first, no coupon beside it) of goods that carry the label, asked for (`askedAt`: the
 * customer chose the return, or opened the case asking for a refund) no later than 7 days on the wall
 * clock after the goods were signed for. Without a delivery or the label there is none.
 */
export function isNoReasonReturn(
  plan: { type: string; returnFirst?: boolean; couponFen?: number | null },
  order: { deliveredAt: number | null; sevenDayReturn: boolean | null },
  askedAt: number | null,
): boolean {
  if (plan.type !== 'refund' || !plan.returnFirst || (plan.couponFen ?? null) !== null) return false;
  if (order.sevenDayReturn !== true || order.deliveredAt === null || askedAt === null) return false;
  return askedAt >= order.deliveredAt && askedAt - order.deliveredAt <= SPEC.noReasonReturnMs;
}

/** docs/domain.md §7.2: the working days (least, most) the solution message says a refund takes to arrive. */
export function refundArrivalOwed(method: string | null): readonly [number, number] {
  return (method !== null ? SPEC.refundArrivalDays[method] : undefined) ?? SPEC.usualRefundArrivalDays;
}

/**
 * docs/domain.md §2.2: a medium case involves the supervisor when it opens, in service hours: the
 * instant the notice is owed (the opening, or the next service opening), or null for another tier.
 */
export function mediumOpenedAt(openedPriority: Priority, openedAt: number, cal: ModelCalendar): number | null {
  return openedPriority === 'medium' ? nextOpening(openedAt, cal) : null;
}

/**
 * docs/domain.md §9.6: what a customer is owed when a fix is recorded against their case: the notice,
 * and a coupon of 10 CNY valid 7 days unless the investigation put the fault on the customer (a case not
 * investigated counts as undetermined), never more than the order paid less what the case paid out.
 */
export function trustOwed(c: { responsibility: string | null; paidFen: number; paidOutFen: number }): {
  couponFen: number;
  validDays: number;
} {
  if (c.responsibility === 'customer') return { couponFen: 0, validDays: SPEC.trustCouponValidDays };
  const room = Math.max(0, c.paidFen - c.paidOutFen);
  return { couponFen: Math.min(SPEC.trustCouponFen, room), validDays: SPEC.trustCouponValidDays };
}

/**
 * docs/domain.md §7.9, §7.8: the plan a customer's choice becomes: a return is the goods back then a
 * refund of what the order paid and the case has not refunded; keeping the goods is the compensation
 * the merchant named; an exchange or a repair is itself.
 */
export function planOfChoice(
  option: string,
  paidFen: number,
  refundedFen: number,
  compensationFen?: number,
): { type: string; amountFen?: number; returnFirst?: boolean } {
  if (option === 'return') return { type: 'refund', amountFen: paidFen - refundedFen, returnFirst: true };
  if (option === 'keep_with_compensation') return { type: 'compensation', amountFen: compensationFen };
  return { type: option };
}

/**
 * docs/domain.md §7.1: what carrying out a plan owes beyond its money: an apology is sent to the
 * customer (in staff's words when they wrote any); an extended warranty is told to the merchant with
 * its months; a dedicated agent is recorded for the customer's next complaints, or, when the record
 * fails, the owner is told. The solution message names the months or the agent.
 */
export function owedOnExecution(type: string): {
  customerTemplate: string | null;
  merchantNotice: string | null;
  grant: boolean;
} {
  return {
    customerTemplate: type === 'apology' ? 'apology' : null,
    merchantNotice: type === 'extended_warranty' ? 'extend_warranty' : null,
    grant: type === 'dedicated_agent',
  };
}

/**
 * docs/domain.md §7.9: the customer is reminded once, at the first service hour past the middle of
 * the window to choose (unless they chose by then).
 */
export function choiceReminderAt(offeredAt: number, cal: ModelCalendar): number {
  return nextOpening(offeredAt + SPEC.customerChoiceMs / 2, cal);
}

/**
 * docs/domain.md §6.5: the categories routed to a department (after-sales and other stay with
 * customer service alone); a suggestion made on the phone callback goes there (docs/domain.md §9.4).
 */
export const ROUTED_CATEGORIES = ['product', 'logistics', 'service', 'compliance'];

/**
 * docs/domain.md §8.6, §3.2: what a joint third-party test arranged at `arrangedAt` owes: the lab's
 * result due at the end of its 10th working day (the customer is told that instant), the owner warned
 * at 75 % of the window, in service hours (the next opening when the share falls outside them) unless
 * the case is high then (`highAt`): a high case's alerts go day and night, as its misses' do
 * (docs/domain.md §2.2, §6.5).
 */
export function testingOwed(
  arrangedAt: number,
  cal: ModelCalendar,
  highAt: (ms: number) => boolean,
): { dueAt: number; warnAt: number; warnSentAt: number } {
  const dueAt = endOfNthWorkingDayAfter(arrangedAt, SPEC.testingWorkingDays, cal);
  const warnAt = arrangedAt + Math.round(SPEC.warningShare * (dueAt - arrangedAt));
  return { dueAt, warnAt, warnSentAt: highAt(warnAt) ? warnAt : nextOpening(warnAt, cal) };
}

/**
 * docs/domain.md §8.6: what the lab's result makes of the plan: a confirmed defect sends the case back
 * to its owner to propose the full-responsibility solution (the customer told the result); no defect
 * found is the solution the customer is told.
 */
export function afterTestingResult(defectConfirmed: boolean): 'replan' | 'solution' {
  return defectConfirmed ? 'replan' : 'solution';
}
