import { z } from 'zod';
import { DateTime, Duration, IANAZone } from 'luxon';
import { CALENDAR_YEARS } from './calendar-data';
import { Category, Channel, DeadlineKind, PaymentMethod, Responsibility, TESTING_WORKING_DAYS_DEFAULT } from './domain';
import { WARNING_DEFAULTS } from './deadlineWindow';
import { DEPARTMENT_DEFAULTS } from './departments';
import { IDENTIFIER_PATTERN, IDENTIFIER_RULE } from './identity';

/**
 * The SLA policy: every figure of docs/domain.md as a default an operator can
 * override (COMPLAINT_POLICY_FILE). Resolved at intake and carried in the workflow's input,
 * so a change applies to new cases and never rewrites a running one.
 */

const isoDuration = z.string().refine((s) => Duration.fromISO(s).isValid && Duration.fromISO(s).toMillis() > 0, {
  message: 'must be a positive ISO-8601 duration such as PT15M or P3D',
});
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s).isValid, { message: 'must be a real calendar date' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');

/** One year of shared/calendar-data/: the State Council's holidays and make-up workdays for that year. */
export const CalendarYear = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  /** Where the dates come from, so a reviewer can check them against the notice. */
  source: z.string().min(1),
  holidays: z.array(localDate),
  makeUpWorkdays: z.array(localDate),
});
export type CalendarYear = z.infer<typeof CalendarYear>;

// A broken data file stops start-up here, naming the field, like a broken policy file.
const calendarYears = CALENDAR_YEARS.map((data) => CalendarYear.parse(data));

/**
 * Each date is listed once, none is both a holiday and a make-up workday, and every date belongs to
 * a year the calendar says it knows (a year's schedule may begin in late December of the year
 * before): a holiday of a year left out of `coveredYears` would be counted and reported as unknown.
 */
function checkCalendarDays(
  cal: { holidays: string[]; makeUpWorkdays: string[]; coveredYears: number[] },
  ctx: z.RefinementCtx,
): void {
  const holidays = new Set(cal.holidays);
  const lists = { holidays: cal.holidays, makeUpWorkdays: cal.makeUpWorkdays } as const;
  for (const [field, dates] of Object.entries(lists)) {
    const seen = new Set<string>();
    dates.forEach((date, index) => {
      const path = [field, index];
      if (seen.has(date)) ctx.addIssue({ code: 'custom', path, message: `${date} is listed twice` });
      seen.add(date);
      if (field === 'makeUpWorkdays' && holidays.has(date))
        ctx.addIssue({ code: 'custom', path, message: `${date} is both a holiday and a make-up workday` });
      const year = Number(date.slice(0, 4));
      if (!cal.coveredYears.includes(year) && !cal.coveredYears.includes(year + 1))
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${date} is in ${year}, which coveredYears does not list (add the year whose schedule it belongs to)`,
        });
    });
  }
}

export const CalendarPolicy = z
  .strictObject({
    timeZone: z
      .string()
      .refine((name) => IANAZone.isValidZone(name), { message: 'must be an IANA time zone such as Asia/Shanghai' })
      .default('Asia/Shanghai'),
    serviceHours: z
      .strictObject({ start: clockTime, end: clockTime })
      // An overnight or empty window has no service time to count deadlines in.
      .refine(({ start, end }) => start < end, {
        message: 'service hours must end after they start (HH:MM, same day)',
        path: ['end'],
      })
      .default({ start: '09:00', end: '21:00' }),
    /** ISO weekday numbers, 1 = Monday. */
    workingWeekdays: z
      .array(z.number().int().min(1).max(7))
      .min(1, 'needs at least one working weekday: working-day deadlines would never fall due')
      .refine((days) => new Set(days).size === days.length, { message: 'lists a weekday twice' })
      .default([1, 2, 3, 4, 5]),
    /** Public holidays (no work even on a weekday), mainland China, from shared/calendar-data/. */
    holidays: z.array(localDate).default(calendarYears.flatMap((y) => y.holidays)),
    /** Weekend days worked in exchange for a holiday bridge (调休). */
    makeUpWorkdays: z.array(localDate).default(calendarYears.flatMap((y) => y.makeUpWorkdays)),
    /**
     * The years whose holidays and make-up days are known: working days past them are counted as if
     * no holiday fell there, which calendarCovers (shared/calendar.ts) lets the workflow report.
     */
    coveredYears: z.array(z.number().int()).default(calendarYears.map((y) => y.year)),
    /**
     * Years past the official data whose statutory festival days were computed from their rules
     * (shared/festivals.ts) and added to `holidays` when the case opened; their make-up days are unknown.
     */
    computedYears: z.array(z.number().int()).optional(),
    /** The published policy version the holidays and make-up days come from (a running case may take a newer one). */
    policyVersion: z.number().int().positive().optional(),
  })
  .superRefine(checkCalendarDays);
export type CalendarPolicy = z.infer<typeof CalendarPolicy>;

/** Each department id is an identifier, and a category is routed to one department at most: a second one is named at its place. */
function checkDepartments(departments: Record<string, { categories: string[] }>, ctx: z.RefinementCtx): void {
  const takenBy = new Map<string, string>();
  for (const [id, { categories }] of Object.entries(departments)) {
    // Checked here: a record's own key check says only "Invalid key".
    if (!IDENTIFIER_PATTERN.test(id))
      ctx.addIssue({ code: 'custom', path: [id], message: `a department id must be ${IDENTIFIER_RULE}` });
    categories.forEach((category, i) => {
      const first = takenBy.get(category);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [id, 'categories', i],
          message: `${category} is already routed to ${first}`,
        });
      else takenBy.set(category, id);
    });
  }
}

/** Each shift ends after it starts, and no two overlap: at any instant one person is on call. */
function checkRota(rota: Array<{ from: string; to: string }>, ctx: z.RefinementCtx): void {
  rota.forEach((shift, i) => {
    if (Date.parse(shift.to) <= Date.parse(shift.from))
      ctx.addIssue({ code: 'custom', path: [i, 'to'], message: 'a shift must end after it starts' });
    rota.forEach((other, j) => {
      if (j > i && Date.parse(shift.from) < Date.parse(other.to) && Date.parse(other.from) < Date.parse(shift.to))
        ctx.addIssue({
          code: 'custom',
          path: [j, 'from'],
          message: `overlaps shift ${i} (${shift.from} – ${shift.to})`,
        });
    });
  });
}

const byPriority = z.strictObject({ high: isoDuration, medium: isoDuration, low: isoDuration });

const arrivalDays = z
  .strictObject({ minWorkingDays: z.number().int().min(0).max(30), maxWorkingDays: z.number().int().min(0).max(30) })
  .refine((d) => d.minWorkingDays <= d.maxWorkingDays, {
    path: ['maxWorkingDays'],
    message: 'must not be below minWorkingDays',
  });

export const REFUND_ARRIVAL_DEFAULTS: Record<PaymentMethod, { minWorkingDays: number; maxWorkingDays: number }> = {
  wallet: { minWorkingDays: 0, maxWorkingDays: 0 },
  alipay: { minWorkingDays: 0, maxWorkingDays: 0 },
  wechat_pay: { minWorkingDays: 0, maxWorkingDays: 0 },
  bank_card: { minWorkingDays: 1, maxWorkingDays: 3 },
  credit_card: { minWorkingDays: 1, maxWorkingDays: 7 },
};

/** docs/domain.md §11.5: 5 cases in 90 days, texts 60 % alike across 2 merchants. */
export const PROFESSIONAL_DEFAULTS = { minCases: 5, minMerchants: 2, minSimilarity: 0.6, window: 'P90D' };

/** docs/domain.md §9.6: 10 CNY (the sources' goodwill coupons run 5–20 CNY), valid 7 days, unless the customer was at fault. */
export const TRUST_NOTICE_DEFAULTS: { couponFen: number; validDays: number; forResponsibility: Responsibility[] } = {
  couponFen: 1_000,
  validDays: 7,
  forResponsibility: ['platform', 'merchant', 'carrier', 'undetermined'],
};

export const SlaPolicy = z
  .strictObject({
    version: z.string().default('2026-11-spec-defaults'),
    calendar: CalendarPolicy.default(CalendarPolicy.parse({})),
    /** docs/domain.md §3: 15 min of service time (one source says 30; the stricter is the default). */
    firstResponse: isoDuration.default('PT15M'),
    /** docs/domain.md §3: outside service hours, the first response is due this long after service resumes. */
    offHoursFirstResponse: isoDuration.default('PT1H'),
    /** docs/domain.md §3: assignment / first action by priority. */
    handling: byPriority.default({ high: 'PT2H', medium: 'PT4H', low: 'PT24H' }),
    investigation: z
      .strictObject({
        workingDays: z.number().int().positive().default(3),
        extendedWorkingDays: z.number().int().positive().default(5),
      })
      .refine((i) => i.extendedWorkingDays >= i.workingDays, {
        message: 'an extension cannot shorten the investigation',
        path: ['extendedWorkingDays'],
      })
      .default({ workingDays: 3, extendedWorkingDays: 5 }),
    /**
     * docs/domain.md §5.4, crisis cases (personal safety, media or regulator involvement): their first response and
     * handling windows run on the wall clock from intake, and their alerts go at once to the on-call
     * operations manager (the rota: shifts as instants with their offset) and to `alsoTell` (legal, PR).
     */
    crisis: z
      .strictObject({
        alsoTell: z.array(z.string().min(1).max(100)).default(['legal', 'pr']),
        onCall: z
          .array(
            z.strictObject({
              from: z.iso.datetime({ offset: true }),
              to: z.iso.datetime({ offset: true }),
              person: z.string().min(1).max(100),
            }),
          )
          .default([])
          .superRefine(checkRota),
      })
      .default({ alsoTell: ['legal', 'pr'], onCall: [] }),
    /** docs/domain.md §2.2: once an agent takes a routine (low-priority) case, the frontline settles it (proposes the solution) within 30 min of service time. */
    routineHandling: isoDuration.default('PT30M'),
    /** docs/domain.md §2.6: a case from a social channel gets a private message (the first human answer, on that channel) within 2 h of intake, day and night. */
    socialReply: z
      .strictObject({
        channels: z.array(Channel).default(['weibo', 'wechat', 'douyin']),
        within: isoDuration.default('PT2H'),
      })
      .default({ channels: ['weibo', 'wechat', 'douyin'], within: 'PT2H' }),
    /** docs/domain.md §9.4: a high-priority (or extremely upset) customer is phoned back by a person within 24 h of the execution. */
    phoneCallback: z.strictObject({ within: isoDuration.default('PT24H') }).default({ within: 'PT24H' }),
    /** docs/domain.md §6.3: a customer asked for evidence has this long to send it; then the investigation resumes on what it has. */
    evidenceWindow: z.strictObject({ workingDays: z.number().int().positive().default(3) }).default({ workingDays: 3 }),
    /**
     * docs/domain.md §7.9: the customer chooses among the merchant's options within this window (not a
     * figure of the sources), reminded half way; then the owner is told and proposes.
     */
    customerChoice: isoDuration.default('P2D'),
    /** docs/domain.md §7.8: a return asked within this long of delivery, for goods that qualify, is granted without approval. */
    noReasonReturn: isoDuration.default('P7D'),
    /** docs/domain.md §6.2: a third-party merchant answers its copy within 24 h. */
    merchantReply: isoDuration.default('PT24H'),
    /** docs/domain.md §3: quality issue → solution proposed in 72 h; logistics issue → resolved in 24 h. */
    categoryTargets: z
      .strictObject({ product: isoDuration.optional(), logistics: isoDuration.optional() })
      .default({ product: 'PT72H', logistics: 'PT24H' }),
    /** docs/domain.md §3.1: a case open longer than 3 days sends a progress update every working day after. */
    progressUpdates: z
      .strictObject({ after: isoDuration.default('P3D'), everyWorkingDays: z.number().int().positive().default(1) })
      .default({ after: 'P3D', everyWorkingDays: 1 }),
    approval: z
      .strictObject({
        /** docs/domain.md §7.3: a frontline agent grants up to 500 CNY alone. */
        thresholdFen: z.number().int().nonnegative().default(50_000),
        /** docs/domain.md §7.4: how long a supervisor has before the approval escalates (not a figure of the sources). */
        window: isoDuration.default('PT4H'),
      })
      .default({ thresholdFen: 50_000, window: 'PT4H' }),
    execution: z
      .strictObject({
        refund: isoDuration.default('PT24H'),
        credit: isoDuration.default('PT24H'),
        /** docs/domain.md §8.2: how long the customer has to ship the goods back. */
        returnShipment: isoDuration.default('P7D'),
        /** docs/domain.md §8.2: goods not shipped back in time → the customer is reminded, and after this grace the step is cancelled and the case returns to the agent. */
        returnReminderGrace: isoDuration.default('P2D'),
        returnInspection: isoDuration.default('P7D'),
        repairWorkingDays: z.number().int().positive().default(3),
        /** docs/domain.md §8.1: how long a notice the plan sends the merchant may take to go through (not a figure of the sources). */
        merchantNotice: isoDuration.default('PT24H'),
        /** docs/domain.md §8.6: how long a testing lab has for its result (not a figure of the sources). */
        testingWorkingDays: z.number().int().positive().default(TESTING_WORKING_DAYS_DEFAULT),
        /** docs/domain.md §8.3: goodwill coupon when an execution step fails. */
        failureGoodwillCouponFen: z.number().int().nonnegative().default(500),
      })
      .default({
        refund: 'PT24H',
        credit: 'PT24H',
        returnShipment: 'P7D',
        returnReminderGrace: 'P2D',
        returnInspection: 'P7D',
        repairWorkingDays: 3,
        merchantNotice: 'PT24H',
        testingWorkingDays: TESTING_WORKING_DAYS_DEFAULT,
        failureGoodwillCouponFen: 500,
      }),
    /**
     * docs/domain.md §7.2: the published working days a refund takes to reach each payment method
     * (0–0: at once). Wallet at once and a bank card in 1–3 working days are the sources' figures;
     * Alipay and WeChat Pay return to the balance at once; a credit card's 1–7 is the card issuers'.
     */
    refundArrival: z
      .strictObject(
        Object.fromEntries(
          PaymentMethod.options.map((m) => [m, arrivalDays.default(REFUND_ARRIVAL_DEFAULTS[m])]),
        ) as Record<PaymentMethod, z.ZodDefault<typeof arrivalDays>>,
      )
      .default(REFUND_ARRIVAL_DEFAULTS),
    objectionWindow: isoDuration.default('PT24H'),
    satisfaction: z
      .strictObject({
        /** docs/domain.md §9.2: callback 1–3 days after execution (default 1 day; high priority within 24 h). */
        callbackAfter: byPriority.default({ high: 'PT12H', medium: 'P1D', low: 'P1D' }),
        /** docs/domain.md §9.3: no answer in 3 days closes the case as no_feedback. */
        answerWithin: isoDuration.default('P3D'),
        reopenAtOrBelow: z.number().int().min(1).max(5).default(2),
      })
      .default({
        callbackAfter: { high: 'PT12H', medium: 'P1D', low: 'P1D' },
        answerWithin: 'P3D',
        reopenAtOrBelow: 2,
      }),
    /** docs/domain.md §9.3: one second round, then close for quality review. */
    maxReopenings: z.number().int().nonnegative().default(1),
    /** docs/domain.md §2.4: 5 complaints on one merchant or product within 24 h make a group. */
    groupRule: z
      .strictObject({ threshold: z.number().int().min(2).default(5), window: isoDuration.default('PT24H') })
      .default({ threshold: 5, window: 'PT24H' }),
    escalation: z
      .strictObject({
        /** docs/domain.md §5.2: at the top rung a further miss alerts the operations manager again, at most this many times. */
        topRungRealerts: z.number().int().nonnegative().default(3),
        /** docs/domain.md §4.1: windows people must meet run in service time (09:00–21:00); the others run in calendar time. */
        serviceTimeDeadlines: z
          .array(DeadlineKind)
          .default(['first_response', 'handling', 'proposal', 'approval', 'routine_handling']),
      })
      .default({
        topRungRealerts: 3,
        serviceTimeDeadlines: ['first_response', 'handling', 'proposal', 'approval', 'routine_handling'],
      }),
    /** docs/domain.md §3.2: each deadline in `kinds` warns the person who must act once `share` of its window is used. */
    warnings: z
      .strictObject({
        share: z.number().gt(0).lt(1).default(WARNING_DEFAULTS.share),
        kinds: z.array(DeadlineKind).default(WARNING_DEFAULTS.kinds),
      })
      .default(WARNING_DEFAULTS),
    /**
     * Continue a case as new once its run's history holds this many events (Temporal itself suggests
     * it near 4 MB or 10k events). Lowered by tests to cross a continue-as-new in every stage.
     */
    continueAsNewAtEvents: z.number().int().positive().optional(),
    /**
     * docs/domain.md §11.6: a merchant whose returns over the last `window` are more than `returnRateAbove`
     * of its orders in that window is flagged for suspension review (15 % over 30 days).
     */
    supplierTiering: z
      .strictObject({
        returnRateAbove: z.number().gt(0).lt(1).default(0.15),
        window: isoDuration
          .refine((d) => Duration.fromISO(d).as('days') <= 366, { message: 'must be at most a year (P366D)' })
          .default('P30D'),
      })
      .default({ returnRateAbove: 0.15, window: 'P30D' }),
    /**
     * docs/domain.md §6.5: the departments cases are routed to by category (keyed by department id), and
     * who is told of each case routed there. A category left out stays with customer service alone.
     */
    departments: z
      .record(
        z.string(),
        z.strictObject({
          categories: z.array(Category).min(1, 'a department takes at least one category'),
          notify: z.array(z.string().min(1).max(100)).min(1, 'name at least one person or role to tell of a new case'),
        }),
      )
      .superRefine(checkDepartments)
      .default(DEPARTMENT_DEFAULTS),
    /**
     * docs/domain.md §9.6: the goodwill gesture of a trust notice after a root-cause fix: a coupon of
     * `couponFen` valid `validDays` days, for the cases whose investigation did not put the fault on the
     * customer (`forResponsibility`; a case with no brief yet counts as `undetermined`). 0 fen: no coupon.
     */
    trustNotice: z
      .strictObject({
        couponFen: z.number().int().min(0).default(TRUST_NOTICE_DEFAULTS.couponFen),
        validDays: z.number().int().min(1).max(365).default(TRUST_NOTICE_DEFAULTS.validDays),
        forResponsibility: z.array(Responsibility).min(1).default(TRUST_NOTICE_DEFAULTS.forResponsibility),
      })
      .default(TRUST_NOTICE_DEFAULTS),
    /** docs/domain.md §10.5: messages one customer gets per case per day. */
    smsPerCasePerDay: z.number().int().positive().default(6),
    /** docs/domain.md §10.1: records kept at least 3 years (one source says 2). */
    retentionYears: z.number().int().min(1).default(3),
    /** docs/domain.md §11.4: a customer whose last rating is at least this is tagged satisfied. */
    satisfiedAtOrAbove: z.number().int().min(1).max(5).default(4),
    /**
     * docs/domain.md §11.5: who is listed for legal review as a suspected professional complainant:
     * at least `minCases` cases within `window`, and texts at least `minSimilarity` alike (character
     * bigrams) across at least `minMerchants` merchants. A list for people to judge; nothing follows from it.
     */
    professionalComplainants: z
      .strictObject({
        minCases: z.number().int().min(2).default(PROFESSIONAL_DEFAULTS.minCases),
        minMerchants: z.number().int().min(2).default(PROFESSIONAL_DEFAULTS.minMerchants),
        minSimilarity: z.number().gt(0).max(1).default(PROFESSIONAL_DEFAULTS.minSimilarity),
        window: isoDuration.default(PROFESSIONAL_DEFAULTS.window),
      })
      .default(PROFESSIONAL_DEFAULTS),
  })
  .superRefine((p, ctx) => {
    // Money no one approves: a trust notice's coupon is given without a proposal, so never more than an agent may grant alone.
    if (p.trustNotice.couponFen > p.approval.thresholdFen) {
      ctx.addIssue({
        code: 'custom',
        path: ['trustNotice', 'couponFen'],
        message: `must be at most approval.thresholdFen (${p.approval.thresholdFen}): a trust notice's coupon is not approved by anyone`,
      });
    }
  });
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const DEFAULT_POLICY: SlaPolicy = SlaPolicy.parse({});
