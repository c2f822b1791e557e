import { DateTime } from 'luxon';
import type { DeadlineKind } from '../../shared/domain';
import { DEFAULT_POLICY, SlaPolicy } from '../../shared/policy';
import { type CaseFacts, type SlaFact, type WhatIfOutcome, WhatIfReportV1, whatIfReport } from '../../shared/whatIf';

/**
 * The what-if's calendar arithmetic, with every due time written by hand from the figures of docs/domain.md
 * (service hours 09:00–21:00 Asia/Shanghai every day, first response 15 service minutes or 1 h
 * after an off-hours opening, handling 4 service hours for a medium case, investigation 3 working
 * days Monday–Friday, merchant reply 24 h, refund 24 h). November 2026 has no holiday: Friday
 * the 20th, Monday the 23rd to Friday the 27th.
 */

/** An instant written as Shanghai wall-clock time. */
const sh = (local: string) => DateTime.fromISO(local, { zone: 'Asia/Shanghai' }).toMillis();
const iso = (local: string) => new Date(sh(local)).toISOString();
const END_OF_DAY = 'T23:59:59.999';

function facts(
  complaintId: string,
  opened: string,
  sla: Array<[DeadlineKind, SlaFact['event'], string, string]>,
  steps: Partial<CaseFacts['steps']> = {},
): CaseFacts {
  return {
    complaintId,
    openedAt: sh(opened),
    priority: 'medium',
    priorityReasons: [],
    category: 'product',
    investigationExtended: false,
    steps: {
      firstResponse: null,
      brief: null,
      merchantReply: null,
      proposal: null,
      approval: null,
      executed: null,
      ...steps,
    },
    sla: sla.map(([kind, event, at, dueAt], i) => ({ seq: i + 1, kind, event, at: sh(at), dueAt: sh(dueAt) })),
  };
}

const CASES: CaseFacts[] = [
  // Friday 20:50: 10 service minutes that evening, 5 on Saturday morning.
  facts(
    'late-evening',
    '2026-11-20T20:50',
    [
      ['first_response', 'activated', '2026-11-20T20:50', '2026-11-21T09:05'],
      // Handling: 10 minutes on Friday, 3 h 50 on Saturday.
      ['handling', 'activated', '2026-11-20T20:50', '2026-11-21T12:50'],
      ['handling', 'met', '2026-11-21T09:00', '2026-11-21T12:50'],
      ['first_response', 'met', '2026-11-21T09:03', '2026-11-21T09:05'],
      // Three working days after Friday: Monday, Tuesday, Wednesday; then two days waiting for evidence.
      ['investigation', 'activated', '2026-11-21T09:03', `2026-11-25${END_OF_DAY}`],
      ['investigation', 'paused', '2026-11-24T10:00', `2026-11-25${END_OF_DAY}`],
      ['investigation', 'resumed', '2026-11-26T10:00', `2026-11-27${END_OF_DAY}`],
      ['investigation', 'met', '2026-11-27T12:00', `2026-11-27${END_OF_DAY}`],
    ],
    { firstResponse: sh('2026-11-21T09:03'), brief: sh('2026-11-27T12:00') },
  ),
  // Saturday 23:30, off hours: due an hour after service opens on Sunday.
  facts(
    'off-hours',
    '2026-11-21T23:30',
    [
      ['first_response', 'activated', '2026-11-21T23:30', '2026-11-22T10:00'],
      ['handling', 'activated', '2026-11-21T23:30', '2026-11-22T13:00'],
      ['handling', 'met', '2026-11-22T09:40', '2026-11-22T13:00'],
      ['first_response', 'met', '2026-11-22T09:45', '2026-11-22T10:00'],
    ],
    { firstResponse: sh('2026-11-22T09:45') },
  ),
  // Monday 10:00: the first answer came ten minutes late; two proposals (a second round), the second late.
  facts(
    'late-answer',
    '2026-11-23T10:00',
    [
      ['first_response', 'activated', '2026-11-23T10:00', '2026-11-23T10:15'],
      ['handling', 'activated', '2026-11-23T10:00', '2026-11-23T14:00'],
      ['first_response', 'breached', '2026-11-23T10:15', '2026-11-23T10:15'],
      ['handling', 'met', '2026-11-23T10:20', '2026-11-23T14:00'],
      ['proposal', 'activated', '2026-11-24T10:00', '2026-11-24T14:00'],
      ['proposal', 'met', '2026-11-24T11:00', '2026-11-24T14:00'],
      ['proposal', 'activated', '2026-11-26T10:00', '2026-11-26T14:00'],
      ['proposal', 'breached', '2026-11-26T14:00', '2026-11-26T14:00'],
    ],
    { firstResponse: sh('2026-11-23T10:25'), proposal: sh('2026-11-26T15:00') },
  ),
  // Nobody took the case for five hours; the first answer came at 14:00.
  facts(
    'unassigned',
    '2026-11-23T09:00',
    [
      ['first_response', 'activated', '2026-11-23T09:00', '2026-11-23T09:15'],
      ['handling', 'activated', '2026-11-23T09:00', '2026-11-23T13:00'],
      ['first_response', 'breached', '2026-11-23T09:15', '2026-11-23T09:15'],
      ['handling', 'breached', '2026-11-23T13:00', '2026-11-23T13:00'],
    ],
    { firstResponse: sh('2026-11-23T14:00') },
  ),
  // A refund a day late (nothing stored says when it went through); a merchant copy cut short by the case closing.
  facts('late-refund', '2026-11-23T10:00', [
    ['merchant_reply', 'activated', '2026-11-23T10:30', '2026-11-24T10:30'],
    ['merchant_reply', 'cancelled', '2026-11-23T18:00', '2026-11-24T10:30'],
    ['refund', 'activated', '2026-11-24T12:00', '2026-11-25T12:00'],
    ['refund', 'breached', '2026-11-25T12:00', '2026-11-25T12:00'],
    // Product: 72 h from the opening, still running.
    ['category_target', 'activated', '2026-11-23T10:00', '2026-11-26T10:00'],
  ]),
  // Opened Friday evening, answered on Monday, still investigating on Wednesday noon: due Wednesday
  // night, three working days from the opening (not from Monday, when the investigation began).
  facts('investigating', '2026-11-20T20:00', [
    ['investigation', 'activated', '2026-11-23T09:10', `2026-11-25${END_OF_DAY}`],
  ]),
];

const PERIOD = { from: sh('2026-11-20T00:00'), to: sh('2026-11-24T00:00') };
const AS_OF = sh('2026-11-25T12:00');
const draft = (figures: Record<string, unknown>) => SlaPolicy.parse({ version: 'draft', ...figures });
const report = (policy: SlaPolicy, cases = CASES) =>
  WhatIfReportV1.parse(whatIfReport(cases, policy, { period: PERIOD, asOf: AS_OF }));
const kind = (r: WhatIfReportV1, k: DeadlineKind) => r.kinds.find((row) => row.kind === k);
const changedOf = (r: WhatIfReportV1, id: string) => r.changedCases.items.find((c) => c.complaintId === id)?.deadlines;
/** A deadline the draft judges otherwise, its due times written as Shanghai wall-clock time. */
const change = (
  k: DeadlineKind,
  recorded: WhatIfOutcome,
  underDraft: WhatIfOutcome,
  recordedDue: string,
  draftDue: string | null,
) => ({
  kind: k,
  recorded,
  underDraft,
  recordedDueAt: iso(recordedDue),
  draftDueAt: draftDue === null ? null : iso(draftDue),
});
/** A kind's row under the policy the cases ran under: the same breaches as recorded, none changed. */
const unchanged = (k: DeadlineKind, deadlines: number, breached: number) => ({
  k,
  deadlines,
  breachedRecorded: breached,
  breachedUnderDraft: breached,
  changed: { nowMet: 0, nowBreached: 0 },
});

describe('what-if under the policy the cases ran under', () => {
  const current = report(DEFAULT_POLICY);

  it('finds every breach the cases recorded, and no other', () => {
    expect(
      current.kinds.map(({ kind: k, deadlines, breachedRecorded, breachedUnderDraft, changed }) => ({
        k,
        deadlines,
        breachedRecorded,
        breachedUnderDraft,
        changed,
      })),
    ).toEqual([
      unchanged('first_response', 4, 2),
      unchanged('handling', 4, 1),
      unchanged('investigation', 2, 0),
      unchanged('merchant_reply', 1, 0),
      unchanged('category_target', 1, 0),
      // One instance per wait: the second round's proposal is a deadline of its own.
      unchanged('proposal', 2, 1),
      unchanged('refund', 1, 1),
    ]);
    expect(current.totals).toEqual({
      deadlines: 15,
      breachedRecorded: 5,
      breachedUnderDraft: 5,
      changed: { nowMet: 0, nowBreached: 0 },
      assumed: 0,
    });
    expect(current.changedCases).toEqual({ total: 0, items: [] });
    expect(current.cases).toBe(6);
  });

  it('measures the first answer and the assignment in service time', () => {
    // 13 min (20:50→21:00, 09:00→09:03), 45 min (09:00→09:45), 25 min, 5 h; two cases never answered.
    expect(current.distributions.firstResponse).toMatchObject({
      measured: 4,
      pending: 2,
      p50Minutes: 25,
      p90Minutes: 300,
      p99Minutes: 300,
    });
    expect(current.distributions.firstResponse.histogram.slice(0, 6).map((b) => b.count)).toEqual([3, 0, 0, 0, 0, 1]);
    expect(current.distributions.firstResponse.histogram.at(-1)).toEqual({ fromHours: 24, toHours: null, count: 0 });
    // 10 min, 40 min, 20 min, and the unassigned case's first answer standing in for its assignment: 5 h.
    expect(current.distributions.handling).toMatchObject({ measured: 4, pending: 2, p50Minutes: 20, p90Minutes: 300 });
  });
});

describe('what-if of a draft', () => {
  it('a 5-minute first response: the Friday-evening answer (13 service minutes) misses at 20:55', () => {
    const r = report(draft({ firstResponse: 'PT5M' }));
    expect(kind(r, 'first_response')).toMatchObject({
      breachedRecorded: 2,
      breachedUnderDraft: 3,
      changed: { nowMet: 0, nowBreached: 1 },
    });
    expect(changedOf(r, 'late-evening')).toEqual([
      change('first_response', 'met', 'breached', '2026-11-21T09:05', '2026-11-20T20:55'),
    ]);
  });

  it('30 minutes off hours: the Sunday answer at 09:45 misses 09:30', () => {
    const r = report(draft({ offHoursFirstResponse: 'PT30M' }));
    expect(changedOf(r, 'off-hours')).toEqual([
      change('first_response', 'met', 'breached', '2026-11-22T10:00', '2026-11-22T09:30'),
    ]);
    expect(r.changedCases.total).toBe(1);
  });

  it('a 30-minute first response: the answer at 10:25 is in time; the one at 14:00 is not', () => {
    const r = report(draft({ firstResponse: 'PT30M' }));
    expect(changedOf(r, 'late-answer')).toEqual([
      change('first_response', 'breached', 'met', '2026-11-23T10:15', '2026-11-23T10:30'),
    ]);
    expect(kind(r, 'first_response')).toMatchObject({
      breachedRecorded: 2,
      breachedUnderDraft: 1,
      changed: { nowMet: 1, nowBreached: 0 },
    });
  });

  it('20 minutes is still too short for the answer at 10:25', () => {
    expect(kind(report(draft({ firstResponse: 'PT20M' })), 'first_response')).toMatchObject({
      breachedUnderDraft: 2,
      changed: { nowMet: 0, nowBreached: 0 },
    });
  });

  it('6 service hours for a medium case: the late proposal (15:00, due 16:00) and the assignment before the 14:00 answer count as met', () => {
    const r = report(draft({ handling: { high: 'PT2H', medium: 'PT6H', low: 'PT24H' } }));
    expect(changedOf(r, 'late-answer')).toEqual([
      change('proposal', 'breached', 'met', '2026-11-26T14:00', '2026-11-26T16:00'),
    ]);
    expect(changedOf(r, 'unassigned')).toEqual([
      change('handling', 'breached', 'met', '2026-11-23T13:00', '2026-11-23T15:00'),
    ]);
  });

  it('one working day: due Monday night, before the evidence pause began; and the running investigation is already late', () => {
    const r = report(draft({ investigation: { workingDays: 1 } }));
    expect(changedOf(r, 'late-evening')).toEqual([
      change('investigation', 'met', 'breached', `2026-11-27${END_OF_DAY}`, `2026-11-23${END_OF_DAY}`),
    ]);
    // Due Monday night, before asOf (Wednesday noon), and not done.
    expect(changedOf(r, 'investigating')).toEqual([
      change('investigation', 'open', 'breached', `2026-11-25${END_OF_DAY}`, `2026-11-23${END_OF_DAY}`),
    ]);
  });

  it('two working days: Tuesday night plus the two days paused (it began Tuesday 10:00) is Thursday night, before the Friday brief; the running one was due Tuesday night', () => {
    const r = report(draft({ investigation: { workingDays: 2 } }));
    expect(changedOf(r, 'late-evening')).toEqual([
      change('investigation', 'met', 'breached', `2026-11-27${END_OF_DAY}`, `2026-11-26${END_OF_DAY}`),
    ]);
    expect(changedOf(r, 'investigating')).toEqual([
      change('investigation', 'open', 'breached', `2026-11-25${END_OF_DAY}`, `2026-11-24${END_OF_DAY}`),
    ]);
  });

  it('four working days keep both investigations in time (the running one due Thursday night)', () => {
    expect(kind(report(draft({ investigation: { workingDays: 4 } })), 'investigation')).toMatchObject({
      breachedUnderDraft: 0,
      changed: { nowMet: 0, nowBreached: 0 },
    });
  });

  it('6 h for the merchant: a copy the case closed after 7.5 h would have been missed first', () => {
    const r = report(draft({ merchantReply: 'PT6H' }));
    expect(changedOf(r, 'late-refund')).toEqual([
      change('merchant_reply', 'cancelled', 'breached', '2026-11-24T10:30', '2026-11-23T16:30'),
    ]);
  });

  it('merchant replies in 24 service hours: from Monday 20:00 they run to Wednesday 20:00, and a reply Wednesday morning is in time', () => {
    const evening = facts(
      'evening-copy',
      '2026-11-23T19:00',
      [
        ['merchant_reply', 'activated', '2026-11-23T20:00', '2026-11-24T20:00'],
        ['merchant_reply', 'breached', '2026-11-24T20:00', '2026-11-24T20:00'],
      ],
      { merchantReply: sh('2026-11-25T10:00') },
    );
    const r = report(
      draft({
        escalation: { serviceTimeDeadlines: ['first_response', 'handling', 'proposal', 'approval', 'merchant_reply'] },
      }),
      [evening],
    );
    expect(changedOf(r, 'evening-copy')).toEqual([
      // 1 h on Monday, 12 h on Tuesday, 11 h on Wednesday.
      change('merchant_reply', 'breached', 'met', '2026-11-24T20:00', '2026-11-25T20:00'),
    ]);
  });

  it('a one-day evidence window ends the Tuesday pause on Wednesday 10:00: due Thursday night, before the Friday brief', () => {
    const r = report(draft({ evidenceWindow: { workingDays: 1 } }));
    expect(changedOf(r, 'late-evening')).toEqual([
      change('investigation', 'met', 'breached', `2026-11-27${END_OF_DAY}`, `2026-11-26${END_OF_DAY}`),
    ]);
    // A longer window cannot lengthen the pause the evidence ended.
    expect(report(draft({ evidenceWindow: { workingDays: 5 } })).changedCases.total).toBe(0);
  });

  it('a pause still running is over under a shorter evidence window: paused Monday 09:00, one day ends it Tuesday 09:00', () => {
    const waiting = facts('waiting', '2026-11-20T10:00', [
      ['investigation', 'activated', '2026-11-20T10:30', `2026-11-25${END_OF_DAY}`],
      ['investigation', 'paused', '2026-11-23T09:00', `2026-11-25${END_OF_DAY}`],
    ]);
    // The evidence window's three working days run to Thursday 09:00: still paused at Wednesday noon.
    expect(report(draft({ investigation: { workingDays: 1 } }), [waiting]).changedCases.total).toBe(0);
    // Monday night plus the day paused: Tuesday night, before Wednesday noon.
    expect(
      changedOf(
        report(draft({ investigation: { workingDays: 1 }, evidenceWindow: { workingDays: 1 } }), [waiting]),
        'waiting',
      ),
    ).toEqual([change('investigation', 'open', 'breached', `2026-11-25${END_OF_DAY}`, `2026-11-24${END_OF_DAY}`)]);
  });

  it('a crisis runs on the wall clock: opened Saturday 23:30, its answer is due 23:45 and its handling (high: 2 h) at 01:30', () => {
    const crisis = {
      ...facts(
        'crisis',
        '2026-11-21T23:30',
        [
          ['first_response', 'activated', '2026-11-21T23:30', '2026-11-21T23:45'],
          ['handling', 'activated', '2026-11-21T23:30', '2026-11-22T01:30'],
          ['handling', 'met', '2026-11-21T23:36', '2026-11-22T01:30'],
          ['first_response', 'met', '2026-11-21T23:40', '2026-11-21T23:45'],
        ],
        { firstResponse: sh('2026-11-21T23:40') },
      ),
      priority: 'high' as const,
      priorityReasons: ['personal_safety:burn'],
    };
    expect(report(DEFAULT_POLICY, [crisis]).totals).toMatchObject({ deadlines: 2, breachedUnderDraft: 0 });
    const r = report(draft({ firstResponse: 'PT5M', handling: { high: 'PT5M', medium: 'PT4H', low: 'PT24H' } }), [
      crisis,
    ]);
    expect(changedOf(r, 'crisis')).toEqual([
      change('first_response', 'met', 'breached', '2026-11-21T23:45', '2026-11-21T23:35'),
      change('handling', 'met', 'breached', '2026-11-22T01:30', '2026-11-21T23:35'),
    ]);
    // The same case without a crisis's reasons: off hours, both wait for Sunday's service.
    expect(
      report(draft({ firstResponse: 'PT5M', handling: { high: 'PT5M', medium: 'PT4H', low: 'PT24H' } }), [
        { ...crisis, priorityReasons: ['vip'] },
      ]).changedCases.total,
    ).toBe(0);
  });

  it('a longer refund window cannot tell a late refund met: nothing stored dates it, so it stays breached and is counted as assumed', () => {
    const r = report(draft({ execution: { refund: 'P2D' } }));
    expect(kind(r, 'refund')).toMatchObject({
      breachedRecorded: 1,
      breachedUnderDraft: 1,
      assumed: 1,
      changed: { nowMet: 0, nowBreached: 0 },
    });
  });

  it("a stored step older than the miss is another wait's: it does not date this one", () => {
    const reopened = facts(
      'second-round',
      '2026-11-23T10:00',
      [
        ['proposal', 'activated', '2026-11-26T10:00', '2026-11-26T14:00'],
        ['proposal', 'breached', '2026-11-26T14:00', '2026-11-26T14:00'],
      ],
      { proposal: sh('2026-11-24T11:00') },
    );
    const r = report(draft({ handling: { high: 'PT2H', medium: 'PT6H', low: 'PT24H' } }), [reopened]);
    expect(kind(r, 'proposal')).toMatchObject({ breachedUnderDraft: 1, assumed: 1 });
  });

  it('a draft without a product target has no such deadline: a missed one is no breach', () => {
    const missed = facts('no-target', '2026-11-20T10:00', [
      ['category_target', 'activated', '2026-11-20T10:00', '2026-11-23T10:00'],
      ['category_target', 'breached', '2026-11-23T10:00', '2026-11-23T10:00'],
    ]);
    const r = report(draft({ categoryTargets: {} }), [missed]);
    expect(kind(r, 'category_target')).toMatchObject({ deadlines: 1, breachedRecorded: 1, breachedUnderDraft: 0 });
    expect(changedOf(r, 'no-target')).toEqual([
      change('category_target', 'breached', 'none', '2026-11-23T10:00', null),
    ]);
  });

  it('lists the first 100 changed cases by opening time and counts them all', () => {
    const many = Array.from({ length: 105 }, (_, i) =>
      facts(`m-${String(i).padStart(3, '0')}`, '2026-11-23T10:00', [
        ['first_response', 'activated', '2026-11-23T10:00', '2026-11-23T10:15'],
        ['first_response', 'met', '2026-11-23T10:10', '2026-11-23T10:15'],
      ]),
    ).reverse();
    const r = report(draft({ firstResponse: 'PT5M' }), many);
    expect(r.changedCases.total).toBe(105);
    expect(r.changedCases.items.map((c) => c.complaintId)).toEqual(
      Array.from({ length: 100 }, (_, i) => `m-${String(i).padStart(3, '0')}`),
    );
  });
});
