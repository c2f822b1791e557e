import { condition, metricMeter, patched } from '@temporalio/workflow';
import type { DeadlineKind, EscalationLevel } from '../../../shared/domain';
import { type Case, nowIso } from './case';
import { ESCALATION_ROLES } from './escalation';

/**
 * Deadline waits and the escalation ladder (docs/domain.md §3, §5): a wait with a deadline is a durable timer;
 * a miss climbs agent → supervisor → operations manager, each rung notified and given a fresh
 * window of the same length.
 */

export const OWNER_SMS_ON_HIGH_PRIORITY_BREACH = 'owner-sms-on-high-priority-breach';

/** The live workflow's counter of the same name, description and unit: both generations' breaches add up on one metric. */
const deadlinesBreached = metricMeter.createCounter('complaint_deadlines_breached', 'breaches', 'SLA deadlines missed, by kind and priority');

export type OnMiss =
  /** Climb the ladder and keep waiting; at the top rung, wait without a timer. */
  | 'escalate'
  /** Tell merchant operations and go on without the answer. */
  | 'merchant_ops'
  /** A plain window (objection, callback): its end is not a breach. */
  | 'expire';

export interface DeadlineSpec {
  kind: DeadlineKind;
  /** The due time; a function when an action can move it while the wait runs (an extension). */
  dueMs: number | (() => number);
  met: () => boolean;
  onMiss: OnMiss;
  /** While true the clock stops (waiting on the customer); the pause is added to the deadline. */
  paused?: () => boolean;
  /** An SLA deadline goes to reports; a plain window does not. */
  sla?: boolean;
}

export interface Notify {
  (recipient: string, event: string, text: string): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function show(c: Case, kind: DeadlineKind, dueMs: number, paused: boolean): void {
  const current = c.view.deadlines.find((d) => d.kind === kind);
  if (current && current.dueAt === iso(dueMs) && current.paused === paused) return;
  const others = c.view.deadlines.filter((d) => d.kind !== kind);
  c.view.deadlines = [...others, { kind, dueAt: iso(dueMs), since: current?.since ?? nowIso(), paused, rung: 0, topRungAlerts: 0 }];
  c.touch();
}

function clear(c: Case, kind: DeadlineKind): void {
  c.view.deadlines = c.view.deadlines.filter((d) => d.kind !== kind);
  c.touch();
}

/** Waits until `met()` or the deadline; returns whether it was met before the case gave up waiting. */
export async function awaitDeadline(c: Case, notify: Notify, spec: DeadlineSpec): Promise<'met' | 'missed'> {
  const { kind, met, onMiss } = spec;
  const sla = spec.sla ?? onMiss !== 'expire';
  const paused = spec.paused ?? (() => false);
  const base = typeof spec.dueMs === 'function' ? spec.dueMs : () => spec.dueMs as number;
  const windowMs = Math.max(1, base() - Date.now());
  /** Time spent paused, added to the due time. */
  let shift = 0;
  /** After an escalation, the fresh window's end replaces the original due time. */
  let freshDue: number | null = null;
  const due = () => (freshDue ?? base()) + shift;
  let breached = false;
  show(c, kind, due(), false);
  if (sla) c.sla(kind, 'activated', iso(due()));

  for (;;) {
    if (met()) break;
    if (paused()) {
      const pausedAt = c.pausedDeadlines[kind] ?? Date.now();
      c.pausedDeadlines[kind] = pausedAt;
      show(c, kind, due(), true);
      if (sla) c.sla(kind, 'paused', iso(due()));
      await condition(() => !paused() || met());
      delete c.pausedDeadlines[kind];
      shift += Date.now() - pausedAt;
      show(c, kind, due(), false);
      if (sla) c.sla(kind, 'resumed', iso(due()));
      continue;
    }
    const seen = due();
    show(c, kind, seen, false);
    const woke = await condition(() => met() || paused() || due() !== seen, Math.max(1, seen - Date.now()), {
      summary: `${kind} deadline`,
    });
    if (woke) continue;

    if (onMiss === 'expire') {
      clear(c, kind);
      return 'missed';
    }
    const level = c.view.escalationLevel;
    const top = level >= 2;
    const escalatedTo = onMiss === 'merchant_ops' ? 'merchant_ops' : top ? 'none' : ESCALATION_ROLES[level + 1];
    breached = true;
    c.view.breaches.push({ kind, dueAt: iso(seen), at: nowIso(), escalatedTo: escalatedTo as 'supervisor' | 'ops_manager' | 'merchant_ops' | 'none' });
    c.sla(kind, 'breached', iso(seen));
    deadlinesBreached.add(1, { kind, priority: c.view.priority });
    c.log({ sub: 'sla-clock', role: 'system' }, 'deadline_breached', { kind, dueAt: iso(seen), escalatedTo }, 'breached');
    // docs/domain.md §5.3: a high-priority case left unhandled texts its owner too. Added while cases were running:
    // cases that missed a deadline before this change replay without the extra message.
    if (patched(OWNER_SMS_ON_HIGH_PRIORITY_BREACH) && c.view.priority === 'high' && c.view.owner) {
      await notify(c.view.owner, `${kind}_breached`, `${c.view.complaintId}: your high-priority case missed its ${kind} deadline`);
    }
    if (onMiss === 'merchant_ops') {
      await notify('merchant_ops', 'merchant_reply_missed', `${c.view.complaintId}: merchant ${c.view.order.merchantId} did not answer in time; decide without it`);
      clear(c, kind);
      return 'missed';
    }
    if (top) {
      // The operations manager already owns the miss; one more timer per window would only grow history.
      clear(c, kind);
      await condition(met);
      break;
    }
    c.escalateTo((level + 1) as EscalationLevel);
    // The next rung's window starts at the miss, however long the alert takes to go out.
    freshDue = Date.now() + windowMs;
    shift = 0;
    show(c, kind, due(), false);
    await notify(escalatedTo, `${kind}_breached`, `${c.view.complaintId}: ${kind} deadline missed (${c.view.priority} priority); escalated to you`);
  }
  clear(c, kind);
  // Each deadline counts once in reports: met on time, or breached (even if handled later).
  if (sla && !breached) c.sla(kind, 'met', iso(due()));
  return 'met';
}
