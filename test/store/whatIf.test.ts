import { DateTime } from 'luxon';
import type { SlaEventV1 } from '../../shared/caseView';
import type { Category, DeadlineKind } from '../../shared/domain';
import { complaintWorkflowId } from '../../shared/identity';
import { slaEventsQuery } from '../../shared/messages';
import { DEFAULT_POLICY, SlaPolicy } from '../../shared/policy';
import { writeCase } from '../../store/cases';
import { type Store, storeOn } from '../../store/connection';
import { appendSlaEvents } from '../../store/slaEvents';
import { WhatIfReportV1, whatIf } from '../../store/whatIf';
import { DrivenCase, MINUTE, each } from '../reports/drive';
import type { Plan } from '../reports/population';
import { type Harness, startHarness } from '../../dev/stack/harness';
import { caseView } from '../../dev/builders';
import { dropStore, freshStore } from './fixtures';

const draft = (figures: Record<string, unknown>) => SlaPolicy.parse({ version: 'draft', ...figures });
const row = (r: WhatIfReportV1, kind: DeadlineKind) => r.kinds.find((k) => k.kind === kind);

describe('what-if: what it reads from the store', () => {
  let store: Store;
  const period = { from: new Date('2026-11-23T00:00:00+08:00'), to: new Date('2026-11-24T00:00:00+08:00') };
  const sla = (seq: number, kind: DeadlineKind, event: SlaEventV1['event'], at: string, dueAt: string): SlaEventV1 => ({
    seq,
    kind,
    event,
    at,
    dueAt,
    escalationLevel: 0,
  });

  beforeAll(async () => {
    store = await freshStore('store-whatif');
    const views = [
      // Answered at 10:25, ten minutes after its first response was due.
      caseView({
        complaintId: 'late',
        createdAt: '2026-11-23T02:00:00.000Z',
        firstResponse: { by: 'agent-7', message: 'Checking.', at: '2026-11-23T02:25:00.000Z' },
      }),
      caseView({
        complaintId: 'on-time',
        createdAt: '2026-11-23T03:00:00.000Z',
        firstResponse: { by: 'agent-7', message: 'Checking.', at: '2026-11-23T03:05:00.000Z' },
      }),
      // A crisis opened at 00:30: answered on the wall clock, ten minutes later.
      caseView({
        complaintId: 'crisis',
        createdAt: '2026-11-22T16:30:00.000Z',
        priority: 'high',
        priorityReasons: ['personal_safety:burn'],
        firstResponse: { by: 'agent-7', message: 'Checking.', at: '2026-11-22T16:40:00.000Z' },
      }),
      // The last instant before the period and its first instant after: neither counts.
      caseView({ complaintId: 'before', createdAt: '2026-11-22T15:59:59.999Z' }),
      caseView({ complaintId: 'after', createdAt: '2026-11-23T16:00:00.000Z' }),
    ];
    await Promise.all(views.map((v) => writeCase(store.cases, v, 1)));
    await appendSlaEvents(store.slaEvents, 'late', [
      sla(1, 'first_response', 'activated', '2026-11-23T02:00:00.000Z', '2026-11-23T02:15:00.000Z'),
      sla(2, 'first_response', 'breached', '2026-11-23T02:15:00.000Z', '2026-11-23T02:15:00.000Z'),
    ]);
    await appendSlaEvents(store.slaEvents, 'on-time', [
      sla(1, 'first_response', 'activated', '2026-11-23T03:00:00.000Z', '2026-11-23T03:15:00.000Z'),
      sla(2, 'first_response', 'met', '2026-11-23T03:05:00.000Z', '2026-11-23T03:15:00.000Z'),
    ]);
    await appendSlaEvents(store.slaEvents, 'crisis', [
      sla(1, 'first_response', 'activated', '2026-11-22T16:30:00.000Z', '2026-11-22T16:45:00.000Z'),
      sla(2, 'first_response', 'met', '2026-11-22T16:40:00.000Z', '2026-11-22T16:45:00.000Z'),
    ]);
    for (const id of ['before', 'after']) {
      await appendSlaEvents(store.slaEvents, id, [
        sla(1, 'first_response', 'activated', '2026-11-23T12:00:00.000Z', '2026-11-23T12:15:00.000Z'),
        sla(2, 'first_response', 'breached', '2026-11-23T12:15:00.000Z', '2026-11-23T12:15:00.000Z'),
      ]);
    }
  });
  afterAll(async () => {
    await dropStore(store);
  });

  it('counts the cases opened in the period, with their own facts only', async () => {
    const r = WhatIfReportV1.parse(await whatIf(store, DEFAULT_POLICY, period, new Date('2026-11-24T00:00:00Z')));
    expect(r.cases).toBe(3);
    expect(r.kinds).toEqual([
      {
        kind: 'first_response',
        deadlines: 3,
        breachedRecorded: 1,
        breachedUnderDraft: 1,
        changed: { nowMet: 0, nowBreached: 0 },
        assumed: 0,
      },
    ]);
    // The crisis's ten minutes fell outside service hours: none of its service time.
    expect(r.distributions.firstResponse).toMatchObject({ measured: 3, pending: 0, p50Minutes: 5, p99Minutes: 25 });
  });

  it("dates a late answer from the case view: under 30 minutes it was in time, under 4 it was not; a crisis's reasons put it on the wall clock", async () => {
    const looser = await whatIf(store, draft({ firstResponse: 'PT30M' }), period);
    expect(looser.changedCases.items).toEqual([
      {
        complaintId: 'late',
        openedAt: '2026-11-23T02:00:00.000Z',
        deadlines: [
          {
            kind: 'first_response',
            recorded: 'breached',
            underDraft: 'met',
            recordedDueAt: '2026-11-23T02:15:00.000Z',
            draftDueAt: '2026-11-23T02:30:00.000Z',
          },
        ],
      },
    ]);
    const stricter = await whatIf(store, draft({ firstResponse: 'PT4M' }), period);
    expect(stricter.changedCases.items.map((c) => c.complaintId)).toEqual(['crisis', 'on-time']);
  });
});

/**
 * The same facts two ways: cases driven through the real workflow record their SLA facts; the
 * what-if under the policy they ran under must find exactly the breaches they recorded, per kind.
 * One time-skipping server: a morning of cases at 10:00 Shanghai, answered at 10:05 (in time),
 * after 10:17 (late), or never; two whose merchant stays silent past its 24 h; a day skipped.
 */
describe('what-if over cases driven through the workflow', () => {
  const LANES = 8;
  let h: Harness;
  const cases: DrivenCase[] = [];
  /** Breaches per kind in the workflows' own SLA facts, by query. */
  const recorded = new Map<DeadlineKind, number>();
  let period: { from: Date; to: Date };
  let asOf: Date;
  let current: WhatIfReportV1;

  type Script = 'on_time' | 'late' | 'silent_merchant' | 'unanswered';
  const SCRIPT: Array<[Script, Category]> = [
    ['on_time', 'product'],
    ['on_time', 'product'],
    ['on_time', 'logistics'],
    ['on_time', 'logistics'],
    ['on_time', 'service'],
    ['on_time', 'product'],
    ['late', 'product'],
    ['late', 'logistics'],
    ['late', 'service'],
    // A service complaint is about platform staff: no merchant copy. A silent merchant is one on an after-sales case.
    ['silent_merchant', 'after_sales'],
    ['silent_merchant', 'product'],
    ['unanswered', 'logistics'],
    ['unanswered', 'logistics'],
  ];
  const SUB_TYPE: Record<string, string> = {
    product: 'quality_defect',
    logistics: 'delayed',
    service: 'slow_reply',
    after_sales: 'refund_blocked',
  };
  const scripted = new Map<string, Script>();

  function plan(i: number, script: Script, category: Category): Plan {
    const key = `wi${i}`;
    const customerId = `c-${key}`;
    const orderId = `o-${key}`;
    const subType = SUB_TYPE[category];
    // A merchant and product each: five on one within a day would make a group and raise the priority.
    return {
      key,
      wave: 'A',
      complaintId: complaintWorkflowId(customerId, orderId, subType),
      attempt: 1,
      repeatOf: null,
      customerId,
      orderId,
      merchantId: `m-${key}`,
      sku: `sku-${key}`,
      amountPaidFen: 12_900,
      category,
      subType,
      channel: 'app',
      priority: 'medium',
      responsibility: 'merchant',
      lateFirstResponse: script === 'late',
      merchantReplies: script !== 'silent_merchant',
      round1: 'rate_now',
      rating1: 5,
      proposal1: { type: 'refund', amountFen: 12_900 },
      round2: null,
      rating2: null,
      proposal2: null,
    };
  }

  async function sleepUntil(ms: number): Promise<void> {
    const now = await h.env.currentTimeMs();
    if (ms > now) await h.env.sleep(ms - now);
  }

  const of = (script: Script) => cases.filter((c) => scripted.get(c.id) === script);

  async function solveAndClose(c: DrivenCase): Promise<void> {
    await c.brief();
    await c.propose(c.plan.proposal1);
    await c.accept();
    await c.rate(5);
  }

  /** Until each case's projection holds every SLA fact its workflow recorded. */
  async function projectionHolds(held: Map<string, number>): Promise<void> {
    const store = storeOn(h.mongo);
    const until = Date.now() + 60_000;
    for (;;) {
      const counts = await store.slaEvents.aggregate<{ _id: string; n: number }>([
        { $group: { _id: '$complaintId', n: { $sum: 1 } } },
      ]);
      const stored = new Map(counts.map((c) => [c._id, c.n]));
      const behind = [...held].filter(([id, n]) => stored.get(id) !== n);
      if (behind.length === 0) return;
      if (Date.now() > until)
        throw new Error(`projection behind its workflows: ${behind.map(([id]) => id).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  beforeAll(async () => {
    h = await startHarness('whatif');
    const zone = DEFAULT_POLICY.calendar.timeZone;
    const start = await h.env.currentTimeMs();
    let day = DateTime.fromMillis(start, { zone }).startOf('day');
    if (day.set({ hour: 9, minute: 30 }).toMillis() < start + MINUTE) day = day.plus({ days: 1 });
    const at = (days: number, hour: number, minute = 0) => day.plus({ days }).set({ hour, minute }).toMillis();
    period = { from: new Date(at(0, 0)), to: new Date(at(1, 0)) };

    await sleepUntil(at(0, 10));
    await each(
      SCRIPT.map((s, i) => ({ s, i })),
      LANES,
      async ({ s: [script, category], i }) => {
        const c = await DrivenCase.open(h, plan(i, script, category));
        cases.push(c);
        scripted.set(c.id, script);
      },
    );
    // Five minutes in: in time for 15 minutes, late for a draft of one.
    await sleepUntil(at(0, 10, 5));
    await each([...of('on_time'), ...of('silent_merchant')], LANES, (c) => c.answer());
    await each(of('on_time'), LANES, solveAndClose);
    const lastOpened = Math.max(...cases.map((c) => c.tally.openedAtMs));
    await sleepUntil(lastOpened + 17 * MINUTE);
    await each(of('late'), LANES, async (c) => {
      await c.firstResponseMissed();
      await c.answer();
      await solveAndClose(c);
    });
    // The next day 11:00: the silent merchants' 24 h have passed, and the unanswered cases' 24 h logistics target.
    await sleepUntil(at(1, 11));
    await each(of('silent_merchant'), LANES, (c) => c.merchantReplyMissed());
    await each(of('unanswered'), LANES, async (c) => {
      await c.settle(
        (v) => ['first_response', 'handling', 'category_target'].every((k) => v.breaches.some((b) => b.kind === k)),
        'the breaches of an unanswered case',
      );
    });

    const held = new Map<string, number>();
    await each(cases, LANES, async (c) => {
      const facts = await c.handle.query(slaEventsQuery);
      held.set(c.id, facts.length);
      for (const f of facts.filter((x) => x.event === 'breached'))
        recorded.set(f.kind, (recorded.get(f.kind) ?? 0) + 1);
    });
    await projectionHolds(held);
    asOf = new Date(await h.env.currentTimeMs());
    current = WhatIfReportV1.parse(await whatIf(storeOn(h.mongo), DEFAULT_POLICY, period, asOf));
  }, 10 * MINUTE);

  afterAll(async () => {
    await h?.close();
  });

  it('drove the breaches the script plans (so the comparison below has something to compare)', () => {
    // Merchant replies missed: the two silent merchants, and the two unanswered cases' merchants (copied at intake, never replying).
    expect(Object.fromEntries(recorded)).toEqual({
      first_response: 5,
      handling: 2,
      merchant_reply: 4,
      category_target: 2,
    });
    expect(current.cases).toBe(SCRIPT.length);
  });

  it('under the policy the cases ran under, finds exactly the breaches they recorded, kind by kind', () => {
    expect(current.kinds.length).toBeGreaterThanOrEqual(6);
    for (const k of current.kinds) {
      expect({ kind: k.kind, underDraft: k.breachedUnderDraft, recorded: k.breachedRecorded }).toEqual({
        kind: k.kind,
        underDraft: recorded.get(k.kind) ?? 0,
        recorded: recorded.get(k.kind) ?? 0,
      });
      expect({ kind: k.kind, changed: k.changed, assumed: k.assumed }).toEqual({
        kind: k.kind,
        changed: { nowMet: 0, nowBreached: 0 },
        assumed: 0,
      });
    }
    expect(current.changedCases.total).toBe(0);
  });

  it('a 1-minute first response breaches every answer given five minutes in as well', async () => {
    const r = await whatIf(storeOn(h.mongo), draft({ firstResponse: 'PT1M' }), period, asOf);
    const answeredAt5 = of('on_time').length + of('silent_merchant').length;
    expect(row(r, 'first_response')).toMatchObject({
      breachedRecorded: 5,
      breachedUnderDraft: 5 + answeredAt5,
      changed: { nowMet: 0, nowBreached: answeredAt5 },
    });
    expect(r.totals.breachedUnderDraft).toBeGreaterThan(current.totals.breachedUnderDraft);
  });

  it('30 minutes: the answers given after 17 minutes count as in time, the unanswered cases stay breached', async () => {
    const r = await whatIf(storeOn(h.mongo), draft({ firstResponse: 'PT30M' }), period, asOf);
    expect(row(r, 'first_response')).toMatchObject({
      breachedRecorded: 5,
      breachedUnderDraft: of('unanswered').length,
      changed: { nowMet: of('late').length, nowBreached: 0 },
    });
    expect(r.totals.breachedUnderDraft).toBeLessThan(current.totals.breachedUnderDraft);
    expect(r.changedCases.items.map((c) => c.complaintId).sort()).toEqual(
      of('late')
        .map((c) => c.id)
        .sort(),
    );
  });

  it("3 days for the merchant: a reply that never came cannot be dated, so the silent merchants (and the unanswered cases' merchants) stay breached, as assumed", async () => {
    const r = await whatIf(storeOn(h.mongo), draft({ merchantReply: 'P3D' }), period, asOf);
    expect(row(r, 'merchant_reply')).toMatchObject({ breachedRecorded: 4, breachedUnderDraft: 4, assumed: 4 });
    expect(r.distributions.firstResponse).toMatchObject({
      measured: SCRIPT.length - of('unanswered').length,
      pending: of('unanswered').length,
    });
    // Service time from 10:00 to the answers at 10:05 and after 10:17; nothing past the hour.
    expect(r.distributions.firstResponse.p50Minutes).toBeGreaterThan(4);
    expect(r.distributions.firstResponse.p99Minutes).toBeGreaterThanOrEqual(17);
    expect(r.distributions.firstResponse.histogram[0].count).toBe(SCRIPT.length - of('unanswered').length);
  });
});
