import { judgeTargets, type ThroughputRun } from '../../dev/bench/targets';

/** The bench's targets (docs/benchmarks.md), with figures chosen on both sides of each bound (the bench prints these verdicts). */

const run = (
  workflow: string,
  concurrency: number,
  perSecond: number,
  cpu: Record<string, number>,
  failed = 0,
): ThroughputRun => ({ workflow, concurrency, perSecond, failed, cpuMsPerCase: cpu });
const verdict = (rows: ReturnType<typeof judgeTargets>, target: string) =>
  rows.find((r) => r.target === target)?.verdict;

it('judges CPU and throughput against the floor of the same run', () => {
  const rows = judgeTargets({
    throughput: {
      runs: [
        run('floor', 20, 10, { total: 100, temporal: 50, floor: 40 }),
        run('ours', 20, 9, { total: 120, temporal: 61, worker: 48 }),
        run('floor', 50, 12, { total: 100, temporal: 50, floor: 40 }),
        run('ours', 50, 10.7, { total: 121, temporal: 60, worker: 40 }, 2),
      ],
    },
  });
  expect(verdict(rows, 'CPU per lifecycle, all processes, at concurrency 20')).toBe('met');
  expect(verdict(rows, 'CPU per lifecycle, Temporal, at concurrency 20')).toBe('missed');
  expect(verdict(rows, 'CPU per lifecycle, worker, at concurrency 20')).toBe('met');
  expect(verdict(rows, 'throughput at concurrency 20')).toBe('met');
  expect(verdict(rows, 'CPU per lifecycle, all processes, at concurrency 50')).toBe('missed');
  expect(verdict(rows, 'throughput at concurrency 50')).toBe('missed');
  expect(verdict(rows, 'failed lifecycles at concurrency 50')).toBe('missed');
});

it('judges the API per caller at p50 and p99, and opening against the floor', () => {
  const lat = (p50ms: number, p99ms: number) => ({ path: '', p50ms, p99ms });
  const rows = judgeTargets({
    api: {
      staff: { api: lat(12, 30), bare: lat(10, 24) },
      customer: { api: lat(13, 30), bare: lat(10, 24) },
      merchant: { api: lat(12, 31), bare: lat(10, 24) },
      open: { api: lat(20, 50), bare: lat(17, 40) },
    },
  });
  expect(verdict(rows, 'API overhead on an update, staff, p50')).toBe('met');
  expect(verdict(rows, 'API overhead on an update, staff, p99')).toBe('met');
  expect(verdict(rows, 'API overhead on an update, customer, p50')).toBe('missed');
  expect(verdict(rows, 'API overhead on an update, merchant, p99')).toBe('missed');
  expect(verdict(rows, 'opening a case through the API, p50')).toBe('missed');
});

it('says what it could not measure instead of passing it', () => {
  const rows = judgeTargets({
    counts: {
      rows: [
        { workflow: 'ours', kilobytes: 30 },
        { workflow: 'floor', kilobytes: 18 },
      ],
    },
  });
  expect(verdict(rows, 'history bytes per lifecycle')).toBe('missed');
  expect(verdict(rows, 'throughput at concurrency 50')).toBe('not measured');
  expect(rows.find((r) => r.target.startsWith('list p99'))?.verdict).toBe('not measured');
  const scaled = judgeTargets({
    scale: [{ openCases: 100_000, 'list p50/p99 ms: newest': '12/40', 'by status': '15/101' }],
  });
  expect(scaled.find((r) => r.target.startsWith('list p99'))).toMatchObject({
    target: 'list p99 at 100000 open cases, worst filter',
    figure: '101 ms',
    verdict: 'missed',
  });
});

it('takes the median of repeated runs and counts every failed lifecycle', () => {
  const cpu = { total: 100, temporal: 50, floor: 40, worker: 40 };
  const rows = judgeTargets({
    throughput: {
      runs: [
        run('floor', 50, 12, cpu),
        run('floor', 50, 12, cpu),
        run('floor', 50, 12, cpu),
        run('ours', 50, 5, cpu),
        run('ours', 50, 11, cpu, 1),
        run('ours', 50, 12, cpu),
      ],
    },
  });
  expect(rows.find((r) => r.target === 'throughput at concurrency 50')).toMatchObject({
    figure: '0.92×',
    verdict: 'met',
  });
  expect(rows.find((r) => r.target === 'failed lifecycles at concurrency 50')).toMatchObject({
    figure: '1',
    verdict: 'missed',
  });
});

it('misses the storm when any case did not escalate, however quick the rest', () => {
  const storm = (escalated: number, last: number) =>
    judgeTargets({ storm: { cases: 100, escalated, 'last after due, s': last } }).at(-1);
  expect(storm(100, 540)).toMatchObject({ verdict: 'met', figure: '540 s' });
  expect(storm(100, 601)).toMatchObject({ verdict: 'missed' });
  expect(storm(99, 30)).toMatchObject({ verdict: 'missed', figure: '99 of 100' });
});

it("judges the worker's memory from the first sample with a full cache, not from the empty start", () => {
  const rss = (samples: Array<[number, number]>) =>
    judgeTargets({ scaleGrowth: samples.map(([workerRssMb, workerCached]) => ({ workerRssMb, workerCached })) }).find(
      (r) => r.target.startsWith('worker RSS'),
    );
  // Growing 500 → 2 000 MB while the cache fills is expected; after it is full, 2 000 → 2 150 is 7.5 %.
  expect(
    rss([
      [500, 100],
      [1_200, 1_000],
      [2_000, 2_000],
      [2_100, 2_000],
      [2_150, 2_000],
    ]),
  ).toMatchObject({ figure: '7.5 %', verdict: 'met' });
  expect(
    rss([
      [500, 100],
      [2_000, 2_000],
      [2_100, 2_000],
      [2_300, 2_000],
    ]),
  ).toMatchObject({ figure: '15 %', verdict: 'missed' });
  // Full only at the end: no flat stretch to judge.
  expect(
    rss([
      [500, 100],
      [1_200, 1_000],
      [2_000, 2_000],
    ])?.verdict,
  ).toBe('not measured');
});

it('misses the scale read-back when one read failed or visibility lost a running case', () => {
  const answers = (answered: number, runningInVisibility: number | string) =>
    judgeTargets({ scaleAnswers: { asked: 50, of: 100, answered, runningInVisibility } }).find((r) =>
      r.target.startsWith('open cases read'),
    );
  expect(answers(50, 100)?.verdict).toBe('met');
  expect(answers(49, 100)?.verdict).toBe('missed');
  expect(answers(50, 99)?.verdict).toBe('missed');
  expect(answers(50, 'count failed: unavailable')?.verdict).toBe('missed');
});
