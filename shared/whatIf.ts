import { z } from 'zod';
import {
  addServiceTime,
  addWorkingDays,
  durationMs,
  firstResponseDue,
  sameTimeOnWorkingDay,
  serviceTimeBetween,
} from './calendar';
import type { SlaEventV1 } from './caseView';
import { type Category, DeadlineKind, type Priority } from './domain';
import { isCrisis } from './escalation';
import type { SlaPolicy } from './policy';

/**
 * The what-if of a draft policy: the deadlines the cases of a past period recorded, each judged
 * again under the draft by calendar arithmetic over the stored facts (no workflow runs). Pure: the
 * store reads the facts (store/whatIf.ts), this module turns them into the report.
 *
 * A deadline instance is one wait of the workflow on one deadline: it begins with an `activated`
 * SLA fact and takes the case's following facts of that kind (by seq) until the next `activated`
 * of the kind. The workflow writes at most one outcome per wait (met, breached or cancelled; after a
 * breach the ladder climbs without further outcome facts), so instances are what the SLA facts
 * count: a case has one first_response, handling, investigation, merchant_reply and category_target
 * instance, and one proposal, approval, refund or credit instance per plan it went through. An
 * instance with none of the three is still running ("open").
 *
 * Each instance's window starts where the workflow starts it (workflows/stages.ts, execution.ts):
 * at the opening for first_response, handling, investigation and category_target, at the
 * activation for the others. Its due time under the draft is that window's end on the kind's clock
 * (service time for the draft's serviceTimeDeadlines, working days for investigation and repair,
 * calendar time otherwise), plus every pause (waiting for the customer's evidence) that began
 * before it was due. The recorded due time is the one the facts carry.
 *
 * What the stored facts do not say, and what stands in:
 * - After a breach no fact says when the step was done. The case's view keeps the time of the
 *   latest first answer, brief, merchant reply, proposal, approval decision and execution: used
 *   when no earlier than the miss (a later round's time is later than this round's, so a draft is
 *   never credited with a step done sooner than it was). Handling is met by the assignment, which
 *   the view does not date: the first answer, which needs an owner, stands in. Without such a time
 *   a breach whose draft due time is later than the miss is counted as breached, and as `assumed`.
 * - The priority and category are the case's current ones (a group flag raises the priority while
 *   the case runs, staff may correct the category); the projection keeps no earlier value. A crisis
 *   case's first response and handling run on the wall clock, as they do for cases opened since that
 *   rule (older crisis cases recorded service-time windows).
 * - A pause waits for the customer's evidence: the draft's evidence window ends it sooner when
 *   shorter; when longer, the recorded pause stands (nothing says when the evidence would have come).
 * - A running instance is judged at `asOf`: breached under the draft once its draft due time has
 *   passed without the step, else open. A cancelled one (the case closed first) is breached under a
 *   draft whose due time came before the cancellation.
 *
 * Every deadline of a case counts in the period the case opened in, whenever it ended (the summary
 * report counts SLA outcomes in the period they happened in instead).
 */

const CHANGED_CASES_SHOWN = 100;
const HISTOGRAM_HOURS = 24;
const HOUR = 3_600_000;

const count = z.number().int().nonnegative();
const instant = z.iso.datetime();

export const WhatIfOutcome = z
  .enum(['met', 'breached', 'cancelled', 'open', 'none'])
  .describe(
    'cancelled: the wait ended without the step (the case closed first); open: still running at asOf; none: the draft sets no such deadline',
  );
export type WhatIfOutcome = z.infer<typeof WhatIfOutcome>;

const Counts = z.object({
  deadlines: count.describe('deadline instances recorded by the cases opened in the period'),
  breachedRecorded: count.describe('instances the workflow recorded as breached'),
  breachedUnderDraft: count.describe('instances breached under the draft'),
  changed: z.object({
    nowMet: count.describe('recorded as breached, not breached under the draft'),
    nowBreached: count.describe('not recorded as breached, breached under the draft'),
  }),
  assumed: count.describe(
    'of breachedUnderDraft: recorded breaches whose draft due time is later than the miss, where no stored fact dates the step',
  ),
});

const Distribution = z.object({
  measured: count.describe('cases with the step done'),
  pending: count.describe('cases without it yet'),
  p50Minutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
  p99Minutes: z.number().nullable(),
  histogram: z
    .array(z.object({ fromHours: count, toHours: count.nullable().describe('null: and longer'), count }))
    .describe('service hours, one bucket per hour'),
});

export const WhatIfReportV1 = z
  .object({
    period: z.object({ from: instant, to: instant }).describe('cases opened in [from, to)'),
    asOf: instant.describe('running deadlines are judged at this time'),
    draftVersion: z.string(),
    cases: count,
    kinds: z
      .array(Counts.extend({ kind: DeadlineKind }))
      .describe("the kinds the cases recorded, in the domain's order"),
    totals: Counts,
    changedCases: z.object({
      total: count,
      items: z
        .array(
          z.object({
            complaintId: z.string(),
            openedAt: instant,
            deadlines: z.array(
              z.object({
                kind: DeadlineKind,
                recorded: WhatIfOutcome,
                underDraft: WhatIfOutcome,
                recordedDueAt: instant,
                draftDueAt: instant.nullable(),
              }),
            ),
          }),
        )
        .describe(`the first ${CHANGED_CASES_SHOWN} cases whose outcome changes, by opening time`),
    }),
    distributions: z
      .object({ firstResponse: Distribution, handling: Distribution })
      .describe(
        "service time (the draft's service hours) from the opening to the first answer, and to the assignment (met handling deadline; after a missed one, the first answer stands in)",
      ),
  })
  .meta({ id: 'WhatIfReportV1' });
export type WhatIfReportV1 = z.infer<typeof WhatIfReportV1>;

/** One SLA fact, its times in epoch milliseconds. */
export type SlaFact = Pick<SlaEventV1, 'seq' | 'kind' | 'event'> & { at: number; dueAt: number };

/** What the store holds of one case for the what-if; times in epoch milliseconds. */
export interface CaseFacts {
  complaintId: string;
  openedAt: number;
  priority: Priority;
  /** Why the priority is what it is: a crisis's reasons (shared/escalation.ts) put its first clocks on the wall clock. */
  priorityReasons: string[];
  category: Category;
  investigationExtended: boolean;
  /** When the view says the latest of each step was done, null when it was not (yet). */
  steps: {
    firstResponse: number | null;
    brief: number | null;
    merchantReply: number | null;
    proposal: number | null;
    approval: number | null;
    executed: number | null;
  };
  sla: SlaFact[];
}

/** The stored step time that dates a kind's completion after a breach (see the module comment). */
const DONE_BY: Partial<Record<DeadlineKind, (c: CaseFacts) => number | null>> = {
  first_response: (c) => c.steps.firstResponse,
  handling: (c) => c.steps.firstResponse,
  investigation: (c) => c.steps.brief,
  merchant_reply: (c) => c.steps.merchantReply,
  // A product case is solved by a proposal, a logistics one once the solution was carried out.
  category_target: (c) => (c.category === 'product' ? c.steps.proposal : c.steps.executed),
  proposal: (c) => c.steps.proposal,
  approval: (c) => c.steps.approval,
  routine_handling: (c) => c.steps.proposal,
  social_reply: (c) => c.steps.firstResponse,
};

const FROM_OPENING: ReadonlySet<DeadlineKind> = new Set([
  'first_response',
  'handling',
  'investigation',
  'category_target',
  'social_reply',
]);

interface Instance {
  kind: DeadlineKind;
  activatedAt: number;
  pauses: Array<{ from: number; to: number | null }>;
  recorded: Exclude<WhatIfOutcome, 'none'>;
  /** When the recorded outcome happened (the step done, the wait cancelled, the miss). */
  endedAt: number | null;
  recordedDue: number;
}

/** The case's deadline instances, from its SLA facts in seq order. */
function instancesOf(sla: readonly SlaFact[]): Instance[] {
  const all: Instance[] = [];
  const current = new Map<DeadlineKind, Instance>();
  for (const f of [...sla].sort((a, b) => a.seq - b.seq)) {
    let inst = current.get(f.kind);
    // A fact with no activation before it (lost data) still counts, as its own instance.
    if (f.event === 'activated' || !inst) {
      inst = { kind: f.kind, activatedAt: f.at, pauses: [], recorded: 'open', endedAt: null, recordedDue: f.dueAt };
      current.set(f.kind, inst);
      all.push(inst);
    }
    const open = inst.recorded === 'open';
    const last = inst.pauses.at(-1);
    if (f.event === 'paused' && (!last || last.to !== null)) inst.pauses.push({ from: f.at, to: null });
    if (f.event === 'resumed' && last && last.to === null) last.to = f.at;
    if (open) inst.recordedDue = f.dueAt;
    if (open && (f.event === 'met' || f.event === 'breached' || f.event === 'cancelled')) {
      inst.recorded = f.event;
      inst.endedAt = f.at;
    }
  }
  return all;
}

const QUARTER_HOUR = 15 * 60_000;

/**
 * The draft's clocks for one report, its durations parsed once. A working-day end depends only on the local date it counts
 * from, so it is remembered per quarter hour (every zone's offset is a whole number of them): a week
 * of cases opened a minute apart asks luxon a few hundred times instead of once per deadline, which
 * was two thirds of the report's time.
 */
function clocksOf(draft: SlaPolicy) {
  const durations = new Map<string, number>();
  const workingDayEnds = new Map<string, number>();
  const cal = draft.calendar;
  const duration = (iso: string) => {
    let ms = durations.get(iso);
    if (ms === undefined) durations.set(iso, (ms = durationMs(iso)));
    return ms;
  };
  return {
    /** A crisis is answered on the wall clock, with no off-hours grace (workflows/deadlines.ts, onTheClock). */
    firstResponseDue: (openedMs: number, crisis: boolean) =>
      crisis
        ? openedMs + duration(draft.firstResponse)
        : firstResponseDue(openedMs, duration(draft.firstResponse), duration(draft.offHoursFirstResponse), cal).dueMs,
    /** `window` after `fromMs` on the kind's clock: service time for the draft's serviceTimeDeadlines, except a crisis's handling. */
    windowEnd: (kind: DeadlineKind, fromMs: number, window: string, crisis = false) =>
      !crisis && draft.escalation.serviceTimeDeadlines.includes(kind)
        ? addServiceTime(fromMs, duration(window), cal)
        : fromMs + duration(window),
    /** When the draft's evidence window, begun at `fromMs`, ends the pause it holds (workflows/evidence.ts). */
    evidenceWindowEnd: (fromMs: number) => sameTimeOnWorkingDay(fromMs, draft.evidenceWindow.workingDays, cal),
    workingDaysAfter: (fromMs: number, days: number) => {
      const key = `${days} ${Math.floor(fromMs / QUARTER_HOUR)}`;
      let end = workingDayEnds.get(key);
      if (end === undefined) workingDayEnds.set(key, (end = addWorkingDays(fromMs, days, cal)));
      return end;
    },
  };
}
type Clocks = ReturnType<typeof clocksOf>;

/** The end of the instance's window under the draft, before pauses; null when the draft sets no such deadline. */
function draftWindowEnd(draft: SlaPolicy, clocks: Clocks, c: CaseFacts, inst: Instance): number | null {
  const { kind } = inst;
  const start = FROM_OPENING.has(kind) ? c.openedAt : inst.activatedAt;
  switch (kind) {
    case 'first_response':
      return clocks.firstResponseDue(start, isCrisis(c));
    case 'handling':
      return clocks.windowEnd(kind, start, draft.handling[c.priority], isCrisis(c));
    case 'proposal':
      return clocks.windowEnd(kind, start, draft.handling[c.priority]);
    case 'investigation':
      return clocks.workingDaysAfter(
        start,
        c.investigationExtended ? draft.investigation.extendedWorkingDays : draft.investigation.workingDays,
      );
    case 'merchant_reply':
      return clocks.windowEnd(kind, start, draft.merchantReply);
    case 'category_target': {
      const target =
        c.category === 'product'
          ? draft.categoryTargets.product
          : c.category === 'logistics'
            ? draft.categoryTargets.logistics
            : undefined;
      return target ? clocks.windowEnd(kind, start, target) : null;
    }
    case 'approval':
      return clocks.windowEnd(kind, start, draft.approval.window);
    case 'refund':
      return clocks.windowEnd(kind, start, draft.execution.refund);
    case 'credit':
      return clocks.windowEnd(kind, start, draft.execution.credit);
    case 'return_shipment':
      return clocks.windowEnd(kind, start, draft.execution.returnShipment);
    case 'return_inspection':
      return clocks.windowEnd(kind, start, draft.execution.returnInspection);
    case 'repair':
      return clocks.workingDaysAfter(start, draft.execution.repairWorkingDays);
    case 'merchant_notice':
      return clocks.windowEnd(kind, start, draft.execution.merchantNotice);
    // docs/domain.md §2.2, §2.6: the routine target from the taking; the social private message on the wall clock from intake.
    case 'routine_handling':
      return clocks.windowEnd(kind, start, draft.routineHandling);
    case 'social_reply':
      return start + durationMs(draft.socialReply.within);
    default:
      // Plain windows (objection, callback, feedback) are no SLA: the workflow records no facts for them.
      return null;
  }
}

/** When the instance's step was done, as far as the facts date it (see the module comment); null when they do not. */
function doneAt(c: CaseFacts, inst: Instance): number | null {
  if (inst.recorded === 'met') return inst.endedAt;
  if (inst.recorded !== 'breached') return null;
  const stored = DONE_BY[inst.kind]?.(c) ?? null;
  // Earlier than the miss: another round's step, not this one's.
  return stored !== null && stored >= inst.recordedDue ? stored : null;
}

interface Judged {
  dueAt: number | null;
  outcome: WhatIfOutcome;
  assumed: boolean;
}

/** The instance under the draft: its due time and outcome. */
function judge(draft: SlaPolicy, clocks: Clocks, c: CaseFacts, inst: Instance, asOf: number): Judged {
  const windowDue = draftWindowEnd(draft, clocks, c, inst);
  if (windowDue === null) return { dueAt: null, outcome: 'none', assumed: false };
  // A pause that began once the deadline was due came after the miss (the workflow records the miss
  // first). The draft's evidence window ends a pause no later than it; a longer one cannot tell when
  // evidence would have come, so a recorded pause is never lengthened.
  let due = windowDue;
  let pausedNow = false;
  for (const p of inst.pauses) {
    if (p.from >= due) break;
    const to = Math.min(p.to ?? Infinity, clocks.evidenceWindowEnd(p.from));
    if (p.to === null && to > asOf) {
      pausedNow = true;
      break;
    }
    due += to - p.from;
  }
  const judged = (outcome: WhatIfOutcome, assumed = false): Judged => ({ dueAt: due, outcome, assumed });
  const done = doneAt(c, inst);
  switch (inst.recorded) {
    case 'met':
      return judged(done !== null && done <= due ? 'met' : 'breached');
    case 'cancelled':
      return judged(!pausedNow && due < (inst.endedAt ?? -Infinity) ? 'breached' : 'cancelled');
    case 'breached':
      // Not done by the recorded miss: any draft due time up to it is missed too.
      if (due <= inst.recordedDue) return judged('breached');
      if (done !== null) return judged(done <= due ? 'met' : 'breached');
      return pausedNow ? judged('open') : judged('breached', true);
    case 'open':
      return judged(!pausedNow && due < asOf ? 'breached' : 'open');
  }
}

function emptyCounts(): z.infer<typeof Counts> {
  return {
    deadlines: 0,
    breachedRecorded: 0,
    breachedUnderDraft: 0,
    changed: { nowMet: 0, nowBreached: 0 },
    assumed: 0,
  };
}

function add(into: z.infer<typeof Counts>, recordedBreach: boolean, draft: Judged): void {
  const draftBreach = draft.outcome === 'breached';
  into.deadlines++;
  if (recordedBreach) into.breachedRecorded++;
  if (draftBreach) into.breachedUnderDraft++;
  if (recordedBreach && !draftBreach) into.changed.nowMet++;
  if (!recordedBreach && draftBreach) into.changed.nowBreached++;
  if (draft.assumed) into.assumed++;
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function distribution(durations: number[], pending: number): z.infer<typeof Distribution> {
  const sorted = [...durations].sort((a, b) => a - b);
  const minutes = (p: number) => {
    const ms = percentile(sorted, p);
    return ms === null ? null : Math.round((ms / 60_000) * 10) / 10;
  };
  const histogram = Array.from({ length: HISTOGRAM_HOURS + 1 }, (_, h) => ({
    fromHours: h,
    toHours: h < HISTOGRAM_HOURS ? h + 1 : null,
    count: 0,
  }));
  for (const ms of sorted) histogram[Math.min(HISTOGRAM_HOURS, Math.floor(ms / HOUR))].count++;
  return {
    measured: sorted.length,
    pending,
    p50Minutes: minutes(50),
    p90Minutes: minutes(90),
    p99Minutes: minutes(99),
    histogram,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The what-if report of `draft` over the facts of the cases opened in `period`, running deadlines judged at `asOf`. */
export function whatIfReport(
  cases: readonly CaseFacts[],
  draft: SlaPolicy,
  at: { period: { from: number; to: number }; asOf: number },
): WhatIfReportV1 {
  const clocks = clocksOf(draft);
  const byKind = new Map<DeadlineKind, z.infer<typeof Counts>>();
  const totals = emptyCounts();
  const changed: WhatIfReportV1['changedCases']['items'] = [];
  let changedTotal = 0;
  const firstResponses: number[] = [];
  const assignments: number[] = [];
  const ordered = [...cases].sort((a, b) => a.openedAt - b.openedAt || (a.complaintId < b.complaintId ? -1 : 1));

  for (const c of ordered) {
    const differs: WhatIfReportV1['changedCases']['items'][number]['deadlines'] = [];
    let assignedAt: number | null = null;
    for (const inst of instancesOf(c.sla)) {
      const judged = judge(draft, clocks, c, inst, at.asOf);
      const recordedBreach = inst.recorded === 'breached';
      const row = byKind.get(inst.kind) ?? emptyCounts();
      byKind.set(inst.kind, row);
      add(row, recordedBreach, judged);
      add(totals, recordedBreach, judged);
      if (recordedBreach !== (judged.outcome === 'breached')) {
        differs.push({
          kind: inst.kind,
          recorded: inst.recorded,
          underDraft: judged.outcome,
          recordedDueAt: iso(inst.recordedDue),
          draftDueAt: judged.dueAt === null ? null : iso(judged.dueAt),
        });
      }
      if (inst.kind === 'handling' && assignedAt === null) assignedAt = doneAt(c, inst);
    }
    if (differs.length > 0 && changedTotal++ < CHANGED_CASES_SHOWN)
      changed.push({ complaintId: c.complaintId, openedAt: iso(c.openedAt), deadlines: differs });
    if (c.steps.firstResponse !== null)
      firstResponses.push(serviceTimeBetween(c.openedAt, c.steps.firstResponse, draft.calendar));
    if (assignedAt !== null) assignments.push(serviceTimeBetween(c.openedAt, assignedAt, draft.calendar));
  }

  return {
    period: { from: iso(at.period.from), to: iso(at.period.to) },
    asOf: iso(at.asOf),
    draftVersion: draft.version,
    cases: cases.length,
    kinds: DeadlineKind.options.flatMap((kind) => {
      const row = byKind.get(kind);
      return row ? [{ kind, ...row }] : [];
    }),
    totals,
    changedCases: { total: changedTotal, items: changed },
    distributions: {
      firstResponse: distribution(firstResponses, cases.length - firstResponses.length),
      handling: distribution(assignments, cases.length - assignments.length),
    },
  };
}
