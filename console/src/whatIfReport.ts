/**
 * The what-if report (`WhatIfReportV1`, shared/whatIf.ts) read into what the page draws. The
 * schema was written beside this page, so the reader checks each part before using it: a part
 * missing or renamed costs its chart, never the page; the raw report is shown beside the charts.
 */

type Json = Record<string, unknown>;

export interface Counts {
  deadlines: number;
  breachedRecorded: number;
  breachedUnderDraft: number;
  /** Recorded as breached, met under the draft. */
  nowMet: number;
  /** Met (or not breached) as recorded, breached under the draft. */
  nowBreached: number;
  /** Draft breaches where no stored fact dates the step (the report's `assumed`). */
  assumed: number;
}

export interface ChangedDeadline {
  complaintId: string;
  kind: string;
  recorded: string;
  underDraft: string;
  recordedDueAt: string | null;
  draftDueAt: string | null;
}

export interface Histogram {
  key: string;
  measured: number | null;
  pending: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** Hour buckets of service time: [fromHours, toHours) with toHours null for "and longer". */
  buckets: Array<{ fromHours: number; toHours: number | null; count: number }>;
}

export interface WhatIfView {
  cases: number | null;
  kinds: Array<Counts & { kind: string }>;
  totals: Counts | null;
  changedTotal: number | null;
  changed: ChangedDeadline[];
  distributions: Histogram[];
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);

function counts(v: unknown): Counts | null {
  if (!isObj(v)) return null;
  const changed = isObj(v.changed) ? v.changed : {};
  return {
    deadlines: num(v.deadlines) ?? 0,
    breachedRecorded: num(v.breachedRecorded) ?? 0,
    breachedUnderDraft: num(v.breachedUnderDraft) ?? 0,
    nowMet: num(changed.nowMet) ?? 0,
    nowBreached: num(changed.nowBreached) ?? 0,
    assumed: num(v.assumed) ?? 0,
  };
}

function histogram(key: string, v: unknown): Histogram | null {
  if (!isObj(v)) return null;
  const buckets = list(v.histogram).flatMap((b) => {
    const fromHours = num(b.fromHours);
    return fromHours === null ? [] : [{ fromHours, toHours: num(b.toHours), count: num(b.count) ?? 0 }];
  });
  return {
    key,
    measured: num(v.measured),
    pending: num(v.pending),
    p50: num(v.p50Minutes),
    p90: num(v.p90Minutes),
    p99: num(v.p99Minutes),
    buckets,
  };
}

export function readWhatIf(report: unknown): WhatIfView {
  const r = isObj(report) ? report : {};
  const changedCases = isObj(r.changedCases) ? r.changedCases : {};
  const distributions = isObj(r.distributions) ? r.distributions : {};
  return {
    cases: num(r.cases),
    kinds: list(r.kinds).flatMap((k) => {
      const c = counts(k);
      const kind = str(k.kind);
      return c && kind ? [{ kind, ...c }] : [];
    }),
    totals: counts(r.totals),
    changedTotal: num(changedCases.total),
    // One row per deadline that changes, under its case.
    changed: list(changedCases.items).flatMap((item) =>
      list(item.deadlines).map((d) => ({
        complaintId: str(item.complaintId) ?? '—',
        kind: str(d.kind) ?? '—',
        recorded: str(d.recorded) ?? '—',
        underDraft: str(d.underDraft) ?? '—',
        recordedDueAt: str(d.recordedDueAt),
        draftDueAt: str(d.draftDueAt),
      })),
    ),
    distributions: Object.entries(distributions).flatMap(([key, v]) => {
      const hist = histogram(key, v);
      return hist ? [hist] : [];
    }),
  };
}
