import { percentile, round } from './measure';

/**
 * The bench's targets (docs/benchmarks.md), judged from one bench run's figures: every comparison is a ratio of ours to
 * the floor (or of the API to a bare client) measured side by side in that run, never an absolute
 * figure from another day. A target whose section did not run is listed as not measured.
 */

export interface ThroughputRun {
  workflow: string;
  concurrency: number;
  perSecond: number;
  failed: number;
  cpuMsPerCase: Record<string, number>;
}

export interface LatencyRow {
  path: string;
  p50ms: number;
  p99ms: number;
}

export interface BenchFigures {
  counts?: { rows: Array<{ workflow: string; kilobytes: number }> };
  throughput?: { runs: ThroughputRun[] };
  /** Per caller (staff, customer, merchant, and `open` for intake): the API's and the bare client's latencies. */
  api?: Record<string, { api: LatencyRow; bare: LatencyRow }>;
  scale?: Array<Record<string, unknown>>;
  /** The worker sampled each minute while the scale section opened ours. */
  scaleGrowth?: Array<{ workerRssMb: number; workerCached?: number }>;
  scaleAnswers?: { asked: number; of: number; answered: number; runningInVisibility: number | string };
  storm?: { cases: number; escalated: number; 'last after due, s': number };
}

export interface Verdict {
  target: string;
  figure: string;
  goal: string;
  verdict: 'met' | 'missed' | 'not measured';
}

const ratio = (a: number, b: number) => round(a / b, 2);

function judge(
  target: string,
  value: number | undefined,
  goal: string,
  ok: (v: number) => boolean,
  unit = '×',
): Verdict {
  if (value === undefined || !Number.isFinite(value)) return { target, figure: '-', goal, verdict: 'not measured' };
  return { target, figure: `${value}${unit}`, goal, verdict: ok(value) ? 'met' : 'missed' };
}

/** The floor's process that does what our worker does. */
const WORKER_OF = { ours: 'worker', floor: 'floor' } as const;

/** The median as the bench prints it (`percentile`, so the table and the verdict agree). */
const median = (xs: number[]) => percentile(xs, 50);

/** One workflow's repeated runs at one concurrency as one: medians of the figures, all failures counted. */
function merged(runs: ThroughputRun[]): ThroughputRun | undefined {
  if (runs.length === 0) return undefined;
  const processes = Object.keys(runs[0].cpuMsPerCase);
  return {
    workflow: runs[0].workflow,
    concurrency: runs[0].concurrency,
    perSecond: median(runs.map((r) => r.perSecond)),
    failed: runs.reduce((n, r) => n + r.failed, 0),
    cpuMsPerCase: Object.fromEntries(processes.map((p) => [p, median(runs.map((r) => r.cpuMsPerCase[p]))])),
  };
}

function throughputTargets(runs: ThroughputRun[] | undefined): Verdict[] {
  const levels = [...new Set((runs ?? []).map((r) => r.concurrency))];
  const out: Verdict[] = [];
  for (const concurrency of levels.length ? levels : [20, 50]) {
    const of = (workflow: string) =>
      merged((runs ?? []).filter((r) => r.workflow === workflow && r.concurrency === concurrency));
    const ours = of('ours');
    const floor = of('floor');
    const both = ours && floor;
    const at = `at concurrency ${concurrency}`;
    out.push(
      judge(
        `CPU per lifecycle, all processes, ${at}`,
        both ? ratio(ours.cpuMsPerCase.total, floor.cpuMsPerCase.total) : undefined,
        '≤ 1.2 × floor',
        (v) => v <= 1.2,
      ),
    );
    out.push(
      judge(
        `CPU per lifecycle, Temporal, ${at}`,
        both ? ratio(ours.cpuMsPerCase.temporal, floor.cpuMsPerCase.temporal) : undefined,
        '≤ 1.2 × floor',
        (v) => v <= 1.2,
      ),
    );
    out.push(
      judge(
        `CPU per lifecycle, worker, ${at}`,
        both ? ratio(ours.cpuMsPerCase[WORKER_OF.ours], floor.cpuMsPerCase[WORKER_OF.floor]) : undefined,
        '≤ 1.2 × floor',
        (v) => v <= 1.2,
      ),
    );
    // At low concurrency both are bound by the bench's own waits: the throughput ratio says nothing there.
    if (concurrency >= 20)
      out.push(
        judge(
          `throughput ${at}`,
          both ? ratio(ours.perSecond, floor.perSecond) : undefined,
          '≥ 0.9 × floor',
          (v) => v >= 0.9,
        ),
      );
    out.push(judge(`failed lifecycles ${at}`, ours ? ours.failed : undefined, '0', (v) => v === 0, ''));
  }
  return out;
}

function apiTargets(api: BenchFigures['api']): Verdict[] {
  const out: Verdict[] = [];
  for (const caller of ['staff', 'customer', 'merchant']) {
    const pair = api?.[caller];
    for (const p of ['p50ms', 'p99ms'] as const) {
      out.push(
        judge(
          `API overhead on an update, ${caller}, ${p.slice(0, 3)}`,
          pair ? ratio(pair.api[p], pair.bare[p]) : undefined,
          '≤ 1.25 × bare client',
          (v) => v <= 1.25,
        ),
      );
    }
  }
  const open = api?.open;
  // Opening through the API against opening the floor with a bare client: a rate, so bare / API.
  out.push(
    judge(
      'opening a case through the API, p50',
      open ? ratio(open.bare.p50ms, open.api.p50ms) : undefined,
      '≥ 0.9 × floor with a bare client',
      (v) => v >= 0.9,
    ),
  );
  return out;
}

function historyTarget(counts: BenchFigures['counts']): Verdict {
  const kb = (w: string) => counts?.rows.find((r) => r.workflow === w)?.kilobytes;
  const ours = kb('ours');
  const floor = kb('floor');
  return judge(
    'history bytes per lifecycle',
    ours !== undefined && floor ? ratio(ours, floor) : undefined,
    '≤ 1.5 × floor',
    (v) => v <= 1.5,
  );
}

function listTarget(scale: BenchFigures['scale']): Verdict {
  const last = scale?.at(-1);
  const p99s = last
    ? Object.entries(last)
        .filter(([k]) => k.startsWith('list') || k.startsWith('by '))
        .map(([, v]) => Number(String(v).split('/')[1]))
    : [];
  const worst = p99s.length ? Math.max(...p99s) : undefined;
  const at = typeof last?.openCases === 'number' ? String(last.openCases) : '?';
  return judge(`list p99 at ${at} open cases, worst filter`, worst, '≤ 100 ms', (v) => v <= 100, ' ms');
}

/** Once the sticky cache stops growing, the worker's memory should too: RSS at the last sample against the first full one. */
function rssFlatTarget(growth: BenchFigures['scaleGrowth']): Verdict {
  const target = 'worker RSS growth once its cache is full, while cases keep opening';
  const samples = growth ?? [];
  const full = Math.max(0, ...samples.map((s) => s.workerCached ?? 0));
  const first = samples.findIndex((s) => (s.workerCached ?? 0) >= full * 0.98);
  // Full only at the last sample (or never sampled): nothing to compare yet.
  if (first < 0 || first >= samples.length - 2) return { target, figure: '-', goal: '≤ 10 %', verdict: 'not measured' };
  const grew = round(
    ((samples.at(-1)!.workerRssMb - samples[first].workerRssMb) / samples[first].workerRssMb) * 100,
    1,
  );
  return judge(target, grew, '≤ 10 %', (v) => v <= 10, ' %');
}

function answersTarget(a: BenchFigures['scaleAnswers']): Verdict {
  const target = `open cases read through the API${a ? ` (${a.asked} of ${a.of}, at random), and running in visibility` : ''}`;
  if (!a) return { target, figure: '-', goal: 'every one', verdict: 'not measured' };
  const ok = a.answered === a.asked && a.runningInVisibility === a.of;
  return {
    target,
    figure: `${a.answered} answered; ${a.runningInVisibility} running`,
    goal: `${a.asked}; ${a.of}`,
    verdict: ok ? 'met' : 'missed',
  };
}

function stormTarget(storm: BenchFigures['storm']): Verdict {
  const target = `wake-up storm: ${storm ? storm.cases : '?'} cases due in one minute, the last escalated`;
  // A case that never escalated is a miss, however quick the others were.
  const last = storm && storm.escalated < storm.cases ? Infinity : storm?.['last after due, s'];
  if (last === Infinity)
    return { target, figure: `${storm?.escalated} of ${storm?.cases}`, goal: '≤ 600 s after due', verdict: 'missed' };
  return judge(target, last, '≤ 600 s after due', (v) => v <= 600, ' s');
}

export function judgeTargets(f: BenchFigures): Verdict[] {
  return [
    ...throughputTargets(f.throughput?.runs),
    historyTarget(f.counts),
    ...apiTargets(f.api),
    listTarget(f.scale),
    rssFlatTarget(f.scaleGrowth),
    answersTarget(f.scaleAnswers),
    stormTarget(f.storm),
  ];
}
