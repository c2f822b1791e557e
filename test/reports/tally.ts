import { DateTime } from 'luxon';
import type { DeadlineKind } from '../../shared/domain';
import type { Plan } from './population';
import type { Tally } from './drive';

/**
 * The summary report's figures, counted in plain TypeScript from what the test did to each case
 * (its plan and tally), never from the projection: the reference the report is checked against.
 * Orders follow the report's contract: counts high to low, ties by key (null first), days ascending.
 */

export interface Counted {
  plan: Plan;
  tally: Tally;
  /** Closing time as the workflow recorded it (the report's source is its copy in the projection). */
  closedAtMs: number | null;
}

export interface Share {
  key: string | null;
  count: number;
  share: number;
}

export interface ExpectedSummary {
  volume: { total: number; perDay: Array<{ day: string; count: number }> };
  topProducts: Array<{ sku: string; count: number }>;
  topMerchants: Array<{ merchantId: string; count: number }>;
  byCategory: Share[];
  byChannel: Share[];
  byResponsibility: Share[];
  firstContactResolutionRate: number | null;
  repeatComplaintRate: number | null;
  satisfaction: {
    average: number | null;
    answered: number;
    finalAverage: number | null;
    distribution: Record<1 | 2 | 3 | 4 | 5, number>;
  };
  slaBreachRate: Array<{ kind: DeadlineKind; met: number; breached: number; rate: number | null }>;
  escalations: Array<{ level: number; count: number }>;
  averageResolutionHours: number | null;
}

function byKey(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function counts(values: Array<string | null>): Array<{ key: string | null; count: number }> {
  const m = new Map<string | null, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || byKey(a.key, b.key));
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export function expectedSummary(
  all: Counted[],
  period: { from: number; to: number; timeZone: string },
): ExpectedSummary {
  const within = (ms: number) => ms >= period.from && ms < period.to;
  const cases = all.filter((c) => within(c.tally.openedAtMs));
  const total = cases.length;
  const shares = (values: Array<string | null>) =>
    counts(values).map((c) => ({ ...c, share: ratio(c.count, total) ?? 0 }));

  const days = counts(cases.map((c) => DateTime.fromMillis(c.tally.openedAtMs, { zone: period.timeZone }).toISODate()))
    .map(({ key, count }) => ({ day: String(key), count }))
    .sort((a, b) => a.day.localeCompare(b.day));

  const closed = cases.filter((c) => c.tally.closeReason !== null);
  const firstContact = closed.filter((c) => c.tally.closeReason === 'resolved' && c.tally.round === 1);
  // Every rating given counts, also one whose round reopened; "final" is each case's last.
  const rated = cases.flatMap((c) => c.tally.ratings);
  const ratingCount = (n: number) => rated.filter((r) => r === n).length;
  const lastRated = cases.flatMap((c) => c.tally.ratings.slice(-1));
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

  const sla = new Map<DeadlineKind, { met: number; breached: number }>();
  // SLA outcomes count in the period they happened in, whichever period their case was opened in.
  for (const e of all.flatMap((c) => c.tally.sla).filter((x) => within(x.at))) {
    const row = sla.get(e.kind) ?? { met: 0, breached: 0 };
    row[e.event]++;
    sla.set(e.kind, row);
  }

  const resolutionMs = closed.map((c) => {
    if (c.closedAtMs === null) throw new Error(`${c.plan.complaintId}: closed without a closing time`);
    return c.closedAtMs - c.tally.openedAtMs;
  });

  return {
    volume: { total, perDay: days },
    topProducts: counts(cases.map((c) => c.plan.sku))
      .slice(0, 10)
      .map(({ key, count }) => ({ sku: String(key), count })),
    topMerchants: counts(cases.map((c) => c.plan.merchantId))
      .slice(0, 10)
      .map(({ key, count }) => ({ merchantId: String(key), count })),
    byCategory: shares(cases.map((c) => c.plan.category)),
    byChannel: shares(cases.map((c) => c.plan.channel)),
    byResponsibility: shares(cases.map((c) => (c.tally.briefed ? c.plan.responsibility : null))),
    firstContactResolutionRate: ratio(firstContact.length, closed.length),
    repeatComplaintRate: ratio(cases.filter((c) => c.plan.repeatOf !== null).length, total),
    satisfaction: {
      average: ratio(sum(rated), rated.length),
      answered: rated.length,
      finalAverage: ratio(sum(lastRated), lastRated.length),
      distribution: { 1: ratingCount(1), 2: ratingCount(2), 3: ratingCount(3), 4: ratingCount(4), 5: ratingCount(5) },
    },
    slaBreachRate: [...sla]
      .sort(([a], [b]) => byKey(a, b))
      .map(([kind, { met, breached }]) => ({ kind, met, breached, rate: ratio(breached, met + breached) })),
    escalations: [1, 2].map((level) => ({
      level,
      count: cases.filter((c) => c.tally.escalationLevel === level).length,
    })),
    averageResolutionHours: resolutionMs.length
      ? resolutionMs.reduce((s, x) => s + x, 0) / resolutionMs.length / 3_600_000
      : null,
  };
}
