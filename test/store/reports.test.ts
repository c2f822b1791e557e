import type { CaseViewV1, SlaEventV1 } from '../../shared/caseView';
import { writeCase } from '../../store/cases';
import type { Store } from '../../store/connection';
import { summaryReport } from '../../store/reports';
import { appendSlaEvents } from '../../store/slaEvents';
import { caseView } from '../../dev/builders';
import { dropStore, freshStore } from './fixtures';

let store: Store;
beforeAll(async () => {
  store = await freshStore('store-reports');
});
afterAll(async () => {
  await dropStore(store);
});

const hoursAfter = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

function closedCase(createdAt: string, hours: number, overrides: Partial<CaseViewV1>): CaseViewV1 {
  return caseView({
    createdAt,
    status: 'closed',
    closedAt: hoursAfter(createdAt, hours),
    closeReason: 'resolved',
    ...overrides,
  });
}

const order = (sku: string, merchantId: string) => ({
  orderId: `o-${sku}`,
  merchantId,
  sku,
  amountPaidFen: 100,
  paidAt: '2026-10-01T00:00:00Z',
});
const brief = (responsibility: 'merchant' | 'carrier') => ({
  ...caseView().investigation,
  brief: { responsibility, findings: 'found', by: 'agent-7', at: '2026-11-23T12:00:00Z' },
});
const sla = (
  seq: number,
  kind: SlaEventV1['kind'],
  event: SlaEventV1['event'],
  at = '2026-11-23T03:00:00.000Z',
): SlaEventV1 => ({
  seq,
  kind,
  event,
  at,
  dueAt: at,
  escalationLevel: 0,
});

describe('summary report', () => {
  beforeAll(async () => {
    const views = [
      // Opened 01:00 on the 24th in Shanghai (17:00 UTC the day before); solved at once, rated 5.
      closedCase('2026-11-23T17:00:00.000Z', 48, {
        order: order('sku-1', 'm-1'),
        investigation: brief('merchant'),
        satisfaction: { rating: 5, comment: null, callbackSentAt: null, at: null, rounds: [] },
      }),
      // Reopened once before it was solved: not a first-contact resolution.
      closedCase('2026-11-23T10:00:00.000Z', 24, {
        order: order('sku-1', 'm-2'),
        category: 'logistics',
        subType: 'lost',
        channel: 'web',
        round: 2,
        escalationLevel: 1,
        investigation: brief('carrier'),
        satisfaction: { rating: 3, comment: null, callbackSentAt: null, at: null, rounds: [] },
      }),
      // A repeat complaint that closed without feedback.
      closedCase('2026-11-23T02:00:00.000Z', 24, {
        order: order('sku-2', 'm-1'),
        closeReason: 'no_feedback',
        repeatOf: 'cmp-earlier',
      }),
      // Still open, escalated to the operations manager; 04:00 on the 23rd in Shanghai.
      caseView({
        createdAt: '2026-11-22T20:00:00.000Z',
        status: 'in_progress',
        order: order('sku-3', 'm-1'),
        category: 'service',
        subType: 'rude_agent',
        channel: 'phone',
        escalationLevel: 2,
      }),
      // Outside the period.
      closedCase('2026-10-01T02:00:00.000Z', 1, { order: order('sku-old', 'm-old') }),
    ];
    await Promise.all(views.map((v) => writeCase(store.cases, v, 1)));
    await appendSlaEvents(store.slaEvents, 'cmp-r1', [
      sla(1, 'first_response', 'activated'),
      sla(2, 'first_response', 'met'),
      sla(3, 'handling', 'breached'),
      sla(4, 'first_response', 'met', '2026-10-01T00:00:00.000Z'),
    ]);
    await appendSlaEvents(store.slaEvents, 'cmp-r2', [
      sla(1, 'first_response', 'met'),
      sla(2, 'first_response', 'breached'),
      sla(3, 'handling', 'breached'),
      sla(4, 'first_response', 'met'),
    ]);
  });

  it('computes the figures of docs/domain.md §11.1 for the period in the platform time zone', async () => {
    const report = await summaryReport(store, {
      from: new Date('2026-11-01T00:00:00+08:00'),
      to: new Date('2026-12-01T00:00:00+08:00'),
      timeZone: 'Asia/Shanghai',
    });
    expect(report.volume).toEqual({
      total: 4,
      perDay: [
        { day: '2026-11-23', count: 3 },
        { day: '2026-11-24', count: 1 },
      ],
    });
    expect(report.topProducts).toEqual([
      { sku: 'sku-1', count: 2 },
      { sku: 'sku-2', count: 1 },
      { sku: 'sku-3', count: 1 },
    ]);
    expect(report.topMerchants).toEqual([
      { merchantId: 'm-1', count: 3 },
      { merchantId: 'm-2', count: 1 },
    ]);
    expect(report.byCategory).toEqual([
      { key: 'product', count: 2, share: 0.5 },
      { key: 'logistics', count: 1, share: 0.25 },
      { key: 'service', count: 1, share: 0.25 },
    ]);
    expect(report.byChannel).toEqual([
      { key: 'app', count: 2, share: 0.5 },
      { key: 'phone', count: 1, share: 0.25 },
      { key: 'web', count: 1, share: 0.25 },
    ]);
    expect(report.byResponsibility).toEqual(
      expect.arrayContaining([
        { key: null, count: 2, share: 0.5 },
        { key: 'merchant', count: 1, share: 0.25 },
        { key: 'carrier', count: 1, share: 0.25 },
      ]),
    );
    expect(report.firstContactResolutionRate).toBeCloseTo(1 / 3);
    expect(report.repeatComplaintRate).toBe(0.25);
    // Rated 5 in round 1, and 3 after a reopening whose round-1 rating these views do not hold.
    expect(report.satisfaction).toEqual({
      average: 4,
      answered: 2,
      firstRoundAverage: 5,
      firstRoundAnswered: 1,
      finalAverage: 4,
      distribution: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 },
    });
    expect(report.slaBreachRate).toEqual([
      { kind: 'first_response', met: 3, breached: 1, rate: 0.25 },
      { kind: 'handling', met: 0, breached: 2, rate: 1 },
    ]);
    expect(report.escalations).toEqual([
      { level: 1, count: 1 },
      { level: 2, count: 1 },
    ]);
    expect(report.averageResolutionHours).toBe(32);
  });

  it('shows first-round and final ratings, from rounds or, for older projections, from the one rating', async () => {
    const at = '2026-12-10T02:00:00.000Z';
    const rated = (round: number, rating: number, rounds: [number, number][]) =>
      closedCase(at, 24, {
        round,
        satisfaction: {
          rating,
          comment: null,
          callbackSentAt: at,
          at,
          rounds: rounds.map(([r, n]) => ({ round: r, rating: n, comment: null, at })),
        },
      });
    // A view from a workflow that did not keep rounds yet: only the latest rating.
    const withoutRounds = (round: number, rating: number) => {
      const view = closedCase(at, 24, {
        round,
        satisfaction: { rating, comment: null, callbackSentAt: at, at, rounds: [] },
      });
      delete (view.satisfaction as Partial<CaseViewV1['satisfaction']>).rounds;
      return view;
    };
    const current = [
      rated(1, 4, [[1, 4]]), // first 4, final 4
      rated(2, 5, [
        [1, 2],
        [2, 5],
      ]), // rated 2, reopened, rated 5: first 2, final 5
      rated(2, 3, [[2, 3]]), // reopened by an objection, rated only in round 2: no first, final 3
      withoutRounds(1, 3), // never reopened: its one rating is round 1's; first 3, final 3
    ];
    // Projections written before round 1's rating and every round's rating had columns of their own.
    const older = [withoutRounds(1, 5), withoutRounds(2, 4)]; // first 5, final 5; no first, final 4
    await Promise.all([...current, ...older].map((v) => writeCase(store.cases, v, 1)));
    await store.cases.updateMany(
      { _id: { $in: older.map((v) => v.complaintId) } },
      { $unset: { firstRating: 1, ratings: 1 } },
    );

    const report = await summaryReport(store, {
      from: new Date('2026-12-01T00:00:00+08:00'),
      to: new Date('2027-01-01T00:00:00+08:00'),
      timeZone: 'Asia/Shanghai',
    });
    expect(report.satisfaction).toEqual({
      average: 26 / 7, // every round's: (4 + 2 + 5 + 3 + 3 + 5 + 4) / 7
      answered: 7,
      firstRoundAverage: 3.5, // (4 + 2 + 3 + 5) / 4
      firstRoundAnswered: 4,
      finalAverage: 4, // (4 + 5 + 3 + 3 + 5 + 4) / 6
      distribution: { 1: 0, 2: 1, 3: 2, 4: 2, 5: 2 },
    });
  });

  // docs/domain.md §11.1: the satisfaction average counts what customers said: a round's rating stays counted when its
  // case reopens, whatever the next round brings (another rating, or none).
  it("counts every round's rating, also of a case rated 1 that reopened and closed unrated", async () => {
    const at = '2027-01-10T02:00:00.000Z';
    const rounds = (...ratings: [number, number][]) =>
      ratings.map(([round, rating]) => ({ round, rating, comment: null, at }));
    await Promise.all(
      [
        // Rated 1, reopened one level up, and no answer to the second callback.
        closedCase(at, 72, {
          round: 2,
          closeReason: 'no_feedback',
          satisfaction: { rating: null, comment: null, callbackSentAt: at, at: null, rounds: rounds([1, 1]) },
        }),
        // Rated 2, reopened, rated 5.
        closedCase(at, 72, {
          round: 2,
          satisfaction: { rating: 5, comment: null, callbackSentAt: at, at, rounds: rounds([1, 2], [2, 5]) },
        }),
        // Rated 4 at once.
        closedCase(at, 24, {
          round: 1,
          satisfaction: { rating: 4, comment: null, callbackSentAt: at, at, rounds: rounds([1, 4]) },
        }),
      ].map((v) => writeCase(store.cases, v, 1)),
    );

    const report = await summaryReport(store, {
      from: new Date('2027-01-01T00:00:00+08:00'),
      to: new Date('2027-02-01T00:00:00+08:00'),
      timeZone: 'Asia/Shanghai',
    });
    expect(report.satisfaction).toEqual({
      average: 3, // (1 + 2 + 5 + 4) / 4
      answered: 4,
      firstRoundAverage: 7 / 3, // (1 + 2 + 4) / 3
      firstRoundAnswered: 3,
      finalAverage: 10 / 3, // each case's last rating: (1 + 5 + 4) / 3
      distribution: { 1: 1, 2: 1, 3: 0, 4: 1, 5: 1 },
    });
  });

  it('answers an empty period with zeros and nulls, not errors', async () => {
    const report = await summaryReport(store, {
      from: new Date('2020-01-01T00:00:00Z'),
      to: new Date('2020-02-01T00:00:00Z'),
      timeZone: 'Asia/Shanghai',
    });
    expect(report).toMatchObject({
      volume: { total: 0, perDay: [] },
      topProducts: [],
      firstContactResolutionRate: null,
      repeatComplaintRate: null,
      satisfaction: { average: null, answered: 0, firstRoundAverage: null, firstRoundAnswered: 0, finalAverage: null },
      slaBreachRate: [],
      averageResolutionHours: null,
    });
  });
});
