import { condition, metricMeter, patched } from '@temporalio/workflow';
import { DateTime } from 'luxon';
import {
  addServiceTime,
  calendarCovers,
  isServiceTime,
  nextServiceDayStart,
  nextServiceStart,
} from '../shared/calendar';
import type { BreachV1, DeadlineV1 } from '../shared/caseView';
import type { DeadlineKind, EscalationLevel } from '../shared/domain';
import { WARNING_DEFAULTS, windowShareAt } from '../shared/deadlineWindow';
import { ESCALATION_ROLES, TOP_RUNG, isCrisis, onCallAt } from '../shared/escalation';
import { type Case, SYSTEM, nowIso } from './case';
import { notifyStaff } from './messaging';
import { PATCHES } from './patches';

/**
 * Deadline waits and the escalation ladder (docs/domain.md §3, §5). A wait with a deadline is a
 * durable timer. Each deadline climbs its own ladder from its own start: the first miss alerts the
 * supervisor, the next the operations manager, each rung with a fresh window of the deadline's full
 * policy length; at the top rung a further miss alerts the operations manager again, a bounded number
 * of times. Windows people must meet run in service time, and alerts on a non-high case wait for
 * service hours.
 */

export const deadlinesBreached = metricMeter.createCounter(
  'complaint_deadlines_breached',
  'breaches',
  'SLA deadlines missed, by kind and priority',
);
const warningsSent = metricMeter.createCounter(
  'complaint_deadline_warnings',
  'warnings',
  'warnings before a breach, by kind and priority',
);

export type OnMiss =
  /** Climb the deadline's ladder and keep waiting. */
  | 'escalate'
  /** Tell merchant operations once and go on without the answer. */
  | 'merchant_ops'
  /** A plain window (objection, callback): its end is not a breach. */
  | 'expire';

export interface DeadlineSpec {
  kind: DeadlineKind;
  /** The due time; a function when an action can move it while the wait runs (an extension). */
  dueMs: number | (() => number);
  /** The end of a fresh window of the deadline's full policy length from `fromMs`: each rung gets one. */
  freshWindow: (fromMs: number) => number;
  /** The step was done. */
  met: () => boolean;
  /** The wait ended without the step: declined, or the case closed first. */
  cancelled?: () => boolean;
  onMiss: OnMiss;
  /** While true the clock stops (waiting on the customer); the pause is added to the deadline. */
  paused?: () => boolean;
  /** Who each rung alerts, when not the case ladder (a compliance approval goes to compliance first). */
  ladder?: Ladder;
  /** Where the window began, when before the wait (the investigation counts from opening). */
  windowStart?: number;
  /** Who must act before it is due, warned once the policy's share of the window is used: the owner, or the agents' queue. */
  mustAct?: () => string;
  /** How the warning reaches them when not as a staff alert (a merchant hears through the portal). */
  sendWarning?: (text: string) => Promise<void>;
  /** Its alerts go at once, day and night, the top rung to the operations manager on call (the social reply, docs/domain.md §2.6). */
  dayAndNight?: boolean;
}

export type Ladder = readonly [string, BreachV1['escalatedTo'], BreachV1['escalatedTo']];

export type DeadlineOutcome = 'met' | 'missed' | 'cancelled';

export interface Notify {
  (recipient: string, event: string, text: string): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `windowMs` after `fromMs` on the deadline's clock: service time for windows people must meet. */
export function windowEnd(c: Case, kind: DeadlineKind, fromMs: number, windowMs: number): number {
  if (onTheClock(c, kind)) return fromMs + windowMs;
  if (c.policy.escalation.serviceTimeDeadlines.includes(kind))
    return addServiceTime(fromMs, windowMs, c.policy.calendar);
  return fromMs + windowMs;
}

/** docs/domain.md §5.4: a crisis's first response and handling run on the wall clock from intake, day and night. */
export function onTheClock(c: Case, kind: DeadlineKind): boolean {
  return (
    (c.features.crisisOnTheClock ?? false) && (kind === 'first_response' || kind === 'handling') && isCrisis(c.view)
  );
}

/** A fresh window of `windowMs` on the deadline's clock, for `DeadlineSpec.freshWindow`. */
export function window(c: Case, kind: DeadlineKind, windowMs: number): (fromMs: number) => number {
  return (fromMs) => windowEnd(c, kind, fromMs, windowMs);
}

function entry(c: Case, kind: DeadlineKind): DeadlineV1 | undefined {
  return c.view.deadlines.find((d) => d.kind === kind);
}

function show(c: Case, kind: DeadlineKind, dueMs: number, state: Partial<DeadlineV1> = {}): void {
  const current = entry(c, kind);
  const kept = {
    ...(current?.windowStart ? { windowStart: current.windowStart } : {}),
    ...(current?.warned ? { warned: true } : {}),
  };
  const next: DeadlineV1 = {
    kind,
    dueAt: iso(dueMs),
    since: current?.since ?? nowIso(),
    paused: false,
    rung: current?.rung ?? 0,
    topRungAlerts: current?.topRungAlerts ?? 0,
    ...kept,
    ...state,
  };
  if (current && JSON.stringify(current) === JSON.stringify(next)) return;
  c.view.deadlines = [...c.view.deadlines.filter((d) => d.kind !== kind), next];
  c.touch();
}

function clear(c: Case, kind: DeadlineKind): void {
  c.view.deadlines = c.view.deadlines.filter((d) => d.kind !== kind);
  c.touch();
}

/**
 * Alerts on a non-high case wait for service hours; safety and regulator/media (high) cases, and a
 * deadline that runs day and night, go out at once. Counted in flight, so a continue-as-new never
 * drops an alert that is waiting.
 */
export async function inServiceHours(
  c: Case,
  alert: () => Promise<void>,
  stillNeeded: () => boolean = () => !c.closed,
  atOnce = false,
): Promise<void> {
  c.inFlight++;
  try {
    const now = Date.now();
    // An alert nobody needs any more by then (the case closed, the step was done) stays unsent.
    if (!atOnce && c.view.priority !== 'high' && !isServiceTime(now, c.policy.calendar))
      await condition(() => !stillNeeded(), nextServiceStart(now, c.policy.calendar) - now);
    if (stillNeeded()) await alert();
  } finally {
    c.inFlight--;
  }
}

/**
 * docs/domain.md §4.2, §4.3: working days exclude holidays, which are data per year: a deadline in a year without data
 * was counted over plain weekdays. Ops hear of it once per case and year, until the data ships.
 */
export function warnIfPastCalendar(c: Case, dueMs: number): void {
  if (!Number.isFinite(dueMs) || calendarCovers(dueMs, c.policy.calendar)) return;
  const { year } = DateTime.fromMillis(dueMs, { zone: c.policy.calendar.timeZone });
  const key = `calendar_data_missing:${year}`;
  if (c.state.alertsSent.includes(key)) return;
  c.state.alertsSent.push(key);
  c.audit(SYSTEM, 'calendar_data_missing', { year });
  c.track(
    notifyStaff(
      c,
      'ops_manager',
      'calendar_data_missing',
      `calendar data missing for ${year}: deadlines of ${c.view.complaintId} count plain weekdays; publish a policy version with ${year}'s holidays (docs/policy.md)`,
    ),
  );
}

/** Waits until the step is met, cancelled, or (for a plain window) the window ends. */
export async function awaitDeadline(c: Case, notify: Notify, spec: DeadlineSpec): Promise<DeadlineOutcome> {
  return new DeadlineWait(c, notify, spec).run();
}

class DeadlineWait {
  private readonly sla: boolean;
  private readonly paused: () => boolean;
  private readonly base: () => number;
  /** Time spent paused, added to the due time. */
  private shift = 0;
  /** After a miss, the fresh window's end replaces the original due time. */
  private freshDue: number | null = null;
  private rung: EscalationLevel | 0 = 0;
  private topRungAlerts = 0;
  private warned = false;
  private breach: BreachV1 | null = null;
  private dailyPatch: boolean | undefined;
  /** When this wait began: a wait that begins after its due time gets its fresh window from here. */
  private readonly startedAt = Date.now();
  /** Whether this wait continues one a previous run started (its 'activated' fact is already recorded). */
  private carriedActivation = false;
  /**
   * When a wait carried over continue-as-new last told someone of its miss: its next telling counts
   * from there, not from the new run's start, so a day's telling the earlier run did not reach is
   * not skipped and one it made is not made again (patch). Null once this run has told.
   */
  private toldAt: number | null = null;
  /** When an action last moved the due time while the wait ran (a priority raise, an extension). */
  private dueMovedAt = 0;

  constructor(
    private readonly c: Case,
    private readonly notify: Notify,
    private readonly spec: DeadlineSpec,
  ) {
    this.sla = spec.onMiss !== 'expire';
    this.paused = spec.paused ?? (() => false);
    this.base = typeof spec.dueMs === 'function' ? spec.dueMs : () => spec.dueMs as number;
    // A wait carried over by continue-as-new resumes where its ladder stood.
    const carried = entry(c, spec.kind);
    if (carried && c.resumed.has(spec.kind)) {
      c.resumed.delete(spec.kind);
      this.carriedActivation = true;
      const dueMs = Date.parse(carried.dueAt);
      this.rung = (carried.rung ?? 0) as EscalationLevel;
      this.topRungAlerts = carried.topRungAlerts ?? 0;
      this.warned = carried.warned ?? false;
      if (this.rung > 0) this.breach = [...c.view.breaches].reverse().find((b) => b.kind === spec.kind) ?? null;
      if (this.breach && patched(PATCHES.toldOnTimeAfterContinue.id)) this.toldAt = lastToldAt(c, spec.kind);
      // A due time an action can still move (an extension, a priority raise) keeps following it.
      if (this.rung === 0 && typeof spec.dueMs === 'function') this.shift = dueMs - this.base();
      else this.freshDue = dueMs;
    }
  }

  private due(): number {
    return (this.freshDue ?? this.base()) + this.shift;
  }

  private get ended(): boolean {
    return this.spec.met() || (this.spec.cancelled?.() ?? false);
  }

  async run(): Promise<DeadlineOutcome> {
    const { c, spec } = this;
    const { kind } = spec;
    // A stage a continued run enters again: a wait the previous run already finished is not a new deadline.
    if (c.continued && !this.carriedActivation && this.ended) return spec.met() ? 'met' : 'cancelled';
    show(c, kind, this.due());
    if (this.sla && !this.carriedActivation) c.sla(kind, 'activated', iso(this.due()));
    for (;;) {
      if (this.ended) break;
      if (this.paused()) {
        if (this.missedBeforePause()) {
          // The miss came first (the wait began late on a case already waiting for the customer): it
          // climbs a rung now, and the pause then holds the next rung's window (simulation seed 1 case 214).
          const climbing = this.climb(this.due());
          await this.waitOutPause();
          if (!(await climbing)) break;
          continue;
        }
        await this.waitOutPause();
        continue;
      }
      if (this.burstOverWhenResumed()) {
        await this.reportDaily();
        break;
      }
      const seen = this.due();
      const warnAt = this.warnAt(seen);
      show(c, kind, seen, {
        paused: false,
        rung: this.rung,
        topRungAlerts: this.topRungAlerts,
        ...this.warning(warnAt),
      });
      if (warnAt !== null && warnAt <= Date.now()) {
        this.warn(seen);
        continue;
      }
      const dueOrWarning = warnAt ?? seen;
      const remindAt = this.remindAt();
      const wakeAt = remindAt !== null && remindAt < dueOrWarning ? remindAt : dueOrWarning;
      const woke = await condition(
        () => this.ended || this.paused() || this.due() !== seen,
        Math.max(1, wakeAt - Date.now()),
        { summary: `${kind} ${wakeAt !== dueOrWarning ? 'reminder' : warnAt === null ? 'deadline' : 'warning'}` },
      );
      if (woke) {
        if (this.due() !== seen) this.dueMovedAt = Date.now();
        continue;
      }
      if (wakeAt !== dueOrWarning) {
        this.remind();
        continue;
      }
      if (warnAt !== null) {
        this.warn(seen);
        continue;
      }
      if (spec.onMiss === 'expire') {
        clear(c, kind);
        return 'missed';
      }
      if (!(await this.climb(seen))) break;
    }
    clear(c, kind);
    return this.finish();
  }

  private finish(): DeadlineOutcome {
    const { c, spec } = this;
    const outcome: DeadlineOutcome = spec.met() ? 'met' : 'cancelled';
    // Each deadline is one fact in reports: met on time, breached (even if handled later), or cancelled.
    if (this.sla && !this.breach) c.sla(spec.kind, outcome, iso(this.due()));
    return this.breach ? 'missed' : outcome;
  }

  /** When to warn before `dueMs`: null when this deadline does not warn (any more). */
  private warnAt(dueMs: number): number | null {
    const { c, spec } = this;
    if (!c.features.warnBeforeBreach || this.warned || this.rung > 0 || !this.sla) return null;
    // Cases continued from runs older than the warnings carry a policy without them.
    const { share, kinds } = c.policy.warnings ?? WARNING_DEFAULTS;
    if (!kinds.includes(spec.kind)) return null;
    const at = windowShareAt(c.policy, spec.kind, this.windowStart(), dueMs, share);
    return at < dueMs ? at : null;
  }

  private windowStart(): number {
    const shown = entry(this.c, this.spec.kind)?.windowStart;
    return this.spec.windowStart ?? (shown ? Date.parse(shown) : this.startedAt);
  }

  private warning(warnAt: number | null): Partial<DeadlineV1> {
    if (!this.c.features.warnBeforeBreach) return {};
    return {
      windowStart: iso(this.windowStart()),
      warned: this.warned,
      ...(warnAt !== null ? { warnAt: iso(warnAt) } : {}),
    };
  }

  /** Once per deadline, in service hours: the person who must act hears how long is left. */
  private warn(dueMs: number): void {
    const { c, spec } = this;
    const { kind } = spec;
    this.warned = true;
    const to = spec.mustAct?.() ?? c.view.owner ?? 'agent';
    show(c, kind, dueMs, { warned: true });
    warningsSent.add(1, { kind, priority: c.view.priority });
    c.audit(SYSTEM, 'deadline_warning', { kind, dueAt: iso(dueMs), to });
    const text = `${c.view.complaintId}: ${kind} is due at ${iso(dueMs)}; act before it escalates`;
    const send = spec.sendWarning ?? ((t: string) => this.notify(to, `${kind}_warning`, t));
    // Once the step is done or the deadline passed, the warning is news nobody needs.
    c.track(
      inServiceHours(
        c,
        () => send(text),
        () => !this.ended && !c.closed && Date.now() < this.due(),
      ),
    );
  }

  /** Due before the pause began (a pause carried over continue-as-new keeps its start): older runs waited out such a pause first (patch). */
  private missedBeforePause(): boolean {
    const pausedSince = this.c.state.pausedDeadlines[this.spec.kind] ?? Date.now();
    return this.spec.onMiss !== 'expire' && this.due() <= pausedSince && patched(PATCHES.missBeforePause.id);
  }

  private async waitOutPause(): Promise<void> {
    const { c, spec } = this;
    const pausedAt = c.state.pausedDeadlines[spec.kind] ?? Date.now();
    c.state.pausedDeadlines[spec.kind] = pausedAt;
    show(c, spec.kind, this.due(), { paused: true });
    if (this.sla) c.sla(spec.kind, 'paused', iso(this.due()));
    await condition(() => !this.paused() || this.ended);
    delete c.state.pausedDeadlines[spec.kind];
    this.shift += Date.now() - pausedAt;
    show(c, spec.kind, this.due(), { paused: false });
    if (this.sla) c.sla(spec.kind, 'resumed', iso(this.due()));
  }

  /**
   * A wait carried over after its top rung's burst: it goes on with the daily report, not with another miss.
   * A run that continued after the last re-alert but before the miss that ends the burst is not past it:
   * that miss is still due (its due time is after the last telling), and it ends the burst when it comes.
   * Older runs reported the day at once there, one window early (patch).
   */
  private burstOverWhenResumed(): boolean {
    if (this.toldAt === null || this.rung !== TOP_RUNG || this.topRungAlerts < this.c.policy.escalation.topRungRealerts)
      return false;
    return this.due() <= this.toldAt || !patched(PATCHES.lastMissEndsTheBurst.id);
  }

  /** One miss: record it, climb a rung (or alert the top rung again), alert. False when the wait should stop timing. */
  private async climb(missedAt: number): Promise<boolean> {
    const { c, spec } = this;
    const { kind } = spec;
    this.toldAt = null;
    this.recordBreach(missedAt);
    if (spec.onMiss === 'merchant_ops') {
      clear(c, kind);
      await inServiceHours(c, () =>
        this.notify(
          'merchant_ops',
          'merchant_reply_missed',
          `${c.view.complaintId}: merchant ${c.view.order.merchantId} did not answer in time; decide without it`,
        ),
      );
      return false;
    }
    const top = this.rung === TOP_RUNG;
    if (top && this.topRungAlerts >= c.policy.escalation.topRungRealerts) {
      // Bound reached: the burst ends, the breach stays on the case (SlaBreached, ops' lists). Older runs went silent here.
      show(c, kind, missedAt, { rung: this.rung, topRungAlerts: this.topRungAlerts });
      if (patched(PATCHES.dailyAfterTopRung.id)) await this.reportDaily();
      else await condition(() => this.ended);
      return false;
    }
    if (top) this.topRungAlerts++;
    else this.rung = (this.rung + 1) as EscalationLevel;
    c.escalateTo(this.rung);
    const role = (spec.ladder ?? ESCALATION_ROLES)[this.rung] as BreachV1['escalatedTo'];
    if (this.breach) this.breach.escalatedTo = role;
    // The next rung's window starts at the miss, however long the alert takes to go out.
    // A fresh window of the full policy length from the miss, or from the wait's start when it began
    // late: such a wait climbs one rung, not the whole ladder at once.
    // A due time an action moved into the past (a priority raise) is missed when it moved: one rung,
    // whose window starts then, not at the earlier instant the new due time names (patch).
    const from = Math.max(missedAt, this.startedAt);
    const movedPast = this.dueMovedAt > from && patched(PATCHES.oneRungWhenDueMoves.id);
    this.freshDue = spec.freshWindow(movedPast ? this.dueMovedAt : from);
    this.shift = 0;
    show(c, kind, this.due(), { rung: this.rung, topRungAlerts: this.topRungAlerts });
    const again = top ? ` (again: ${this.topRungAlerts} of ${c.policy.escalation.topRungRealerts})` : '';
    // Waiting to tell someone never holds the case: the alert waits for service hours beside the clock. Older runs waited here.
    const beside = patched(PATCHES.alertBesideTheClock.id);
    const alert = inServiceHours(
      c,
      async () => {
        // A crisis reaches the operations manager on call, whatever the hour.
        const escalate = () => {
          const to = role === 'ops_manager' && this.onCall() ? onCallAt(c.policy.crisis?.onCall, Date.now()) : role;
          return this.notify(
            to,
            `${kind}_breached`,
            `${c.view.complaintId}: ${kind} deadline missed (${c.view.priority} priority); escalated to you${again}`,
          );
        };
        // docs/domain.md §5.3: a high-priority case left unhandled texts its owner too.
        const textOwner = (owner: string) =>
          this.notify(
            owner,
            `${kind}_breached`,
            `${c.view.complaintId}: your high-priority case missed its ${kind} deadline`,
          );
        const owner = c.view.priority === 'high' ? c.view.owner : null;
        // The owner's text goes beside the escalation, which it no longer holds; older runs sent it first (patch).
        if (this.toldDaily()) {
          await Promise.all(owner ? [textOwner(owner), escalate()] : [escalate()]);
          return;
        }
        if (owner) await textOwner(owner);
        await escalate();
      },
      undefined,
      spec.dayAndNight ?? false,
    );
    if (beside) c.track(alert);
    else await alert;
    return true;
  }

  /**
   * docs/domain.md §5.2: after the top rung's bounded burst a miss still open is reported to the operations
   * manager once per service day, at the start of service, until someone acts: never silence while
   * the case waits. One timer a day, so a case left for months grows its history slowly.
   */
  private async reportDaily(): Promise<void> {
    const { c, spec } = this;
    const resumedFrom = this.toldAt;
    this.toldAt = null;
    const firstDay = resumedFrom === null ? 1 : dailyReportsSent(c, spec.kind, this.breach?.dueAt) + 1;
    for (let day = firstDay; ; day++) {
      const now = Date.now();
      const cal = c.policy.calendar;
      // The miss that ends the burst, in service hours, is reported at once: that day is not left silent.
      const atOnce = day === 1 && isServiceTime(now, cal) && this.toldDaily();
      const next = atOnce
        ? now
        : nextServiceDayStart(day === firstDay && resumedFrom !== null ? resumedFrom : now, cal);
      if (
        !atOnce &&
        (await condition(() => this.ended, Math.max(1, next - now), { summary: `${spec.kind} daily report` }))
      )
        return;
      const since = this.breach?.dueAt ?? iso(this.due());
      c.audit(
        { sub: 'sla-clock', role: 'system' },
        'deadline_still_missed',
        { kind: spec.kind, since, day },
        'breached',
      );
      await this.notify(
        'ops_manager',
        `${spec.kind}_still_missed`,
        `${c.view.complaintId}: ${spec.kind} missed since ${since} and still open (report ${day}, daily until someone acts)`,
      );
    }
  }

  /**
   * After a miss, the next rung may be days away (a 24 service-hour window is two service days):
   * the rung that was told hears again at the start of each service day until the case moves or
   * the next rung comes. Null before a miss, and for runs older than this (patch).
   */
  private remindAt(): number | null {
    const { c, spec } = this;
    if (!this.breach || this.rung === 0 || spec.onMiss !== 'escalate' || !this.toldDaily()) return null;
    return nextServiceDayStart(this.remindFrom(), c.policy.calendar);
  }

  /**
   * Where the next reminder counts from: now, or in a carried wait its last telling, or the end of
   * a pause after it, as in a run that did not continue (a wait counts its next day from the resume).
   * Older runs counted from the telling across a pause and reminded at once, out of hours too (patch).
   */
  private remindFrom(): number {
    if (this.toldAt === null) return Date.now();
    const resumed = lastResumedAt(this.c, this.spec.kind);
    return resumed !== null && resumed > this.toldAt && patched(PATCHES.reminderAfterPause.id) ? resumed : this.toldAt;
  }

  /** Whether the top rung is whoever answers for operations now: a crisis's, or a deadline that runs day and night. */
  private onCall(): boolean {
    return onTheClock(this.c, 'handling') || (this.spec.dayAndNight ?? false);
  }

  private toldDaily(): boolean {
    this.dailyPatch ??= patched(PATCHES.toldEveryServiceDay.id);
    return this.dailyPatch;
  }

  /** The reminder of a miss still open, to the rung that holds it, beside the clock. */
  private remind(): void {
    const { c, spec } = this;
    this.toldAt = null;
    const role = (spec.ladder ?? ESCALATION_ROLES)[this.rung];
    const to = role === 'ops_manager' && this.onCall() ? onCallAt(c.policy.crisis?.onCall, Date.now()) : role;
    const since = this.breach?.dueAt ?? iso(this.due());
    c.audit(
      { sub: 'sla-clock', role: 'system' },
      'deadline_still_missed',
      { kind: spec.kind, since, rung: this.rung },
      'breached',
    );
    c.track(
      this.notify(
        to,
        `${spec.kind}_still_missed`,
        `${c.view.complaintId}: ${spec.kind} missed since ${since} and still open; the next escalation is due ${iso(this.due())}`,
      ),
    );
  }

  /** The first miss of a deadline is its one breach fact; later rungs only raise where it went. */
  private recordBreach(missedAt: number): void {
    const { c, spec } = this;
    if (this.breach) {
      c.audit(
        { sub: 'sla-clock', role: 'system' },
        'deadline_missed_again',
        { kind: spec.kind, dueAt: iso(missedAt), rung: this.rung },
        'breached',
      );
      return;
    }
    const escalatedTo = spec.onMiss === 'merchant_ops' ? 'merchant_ops' : (spec.ladder ?? ESCALATION_ROLES)[1];
    this.breach = { kind: spec.kind, dueAt: iso(missedAt), at: nowIso(), escalatedTo };
    c.view.breaches.push(this.breach);
    c.sla(spec.kind, 'breached', iso(missedAt));
    deadlinesBreached.add(1, { kind: spec.kind, priority: c.view.priority });
    c.audit(
      { sub: 'sla-clock', role: 'system' },
      'deadline_breached',
      { kind: spec.kind, dueAt: iso(missedAt), escalatedTo },
      'breached',
    );
  }
}

/** What a miss's tellings leave on the timeline: the breach, a rung's alert, a reminder or a daily report. */
const TELLINGS: ReadonlySet<string> = new Set(['deadline_breached', 'deadline_missed_again', 'deadline_still_missed']);

/** When the case last told someone of the miss of `kind`, from its timeline (carried over continue-as-new). */
function lastToldAt(c: Case, kind: DeadlineKind): number | null {
  const last = [...c.state.timeline].reverse().find((e) => TELLINGS.has(e.action) && e.detail.kind === kind);
  return last ? Date.parse(last.at) : null;
}

/** When a wait of `kind` last resumed from a pause, from its SLA facts (carried over continue-as-new). */
function lastResumedAt(c: Case, kind: DeadlineKind): number | null {
  const last = [...c.state.slaEvents].reverse().find((e) => e.event === 'resumed' && e.kind === kind);
  return last ? Date.parse(last.at) : null;
}

/** How many daily reports the miss of `kind` since `since` has had. */
function dailyReportsSent(c: Case, kind: DeadlineKind, since: string | undefined): number {
  return c.state.timeline.filter(
    (e) =>
      e.action === 'deadline_still_missed' &&
      e.detail.kind === kind &&
      e.detail.day !== undefined &&
      e.detail.since === since,
  ).length;
}
