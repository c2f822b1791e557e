import request from 'supertest';
import { createPolicyBook } from '../../api/policyBook';
import { PolicyCalendarV1, PolicyVersionListV1, PublishedPolicyVersionV1 } from '../../api/routes/policy';
import { SlaPolicy } from '../../shared/policy';
import {
  createDraft,
  findVersion,
  PolicyVersionV1,
  publishVersion,
  seedPolicyVersion,
} from '../../store/policyVersions';
import { WhatIfReportV1 } from '../../store/whatIf';
import type { policyRolloutWorkflow } from '../../workflows/policyRollout';
import { dropStore, freshStore } from '../store/fixtures';
import { callers, errorOf, openBody, party, putOrder, useApiHarness, viewOf } from './support';
import { eventually } from '../support/poll';

/**
 * Policy versions through the API: ops load a draft (next year's official schedule), the API refuses
 * a policy that cannot work naming each field, publishes with an id that new cases open with at once,
 * and offers the new calendar to the running cases through the rollout workflow.
 */

const h = useApiHarness({ worker: true });

const OPS = { sub: 'ops-1', role: 'ops_manager' } as const;
const AGENT = { sub: 'agent-7', role: 'agent' } as const;

async function as(claims: Parameters<typeof h.bearer>[0], method: 'get' | 'post', path: string, body?: object) {
  const auth = await h.bearer(claims);
  return method === 'get'
    ? request(h.app).get(path).set('authorization', auth)
    : request(h.app)
        .post(path)
        .set('authorization', auth)
        .send(body ?? {});
}

const versionOf = (res: request.Response) => PolicyVersionV1.parse(res.body);
const versionCount = async () => h.db.policyVersions.countDocuments();

/** An official 2027 schedule as ops would load it: holidays, and a make-up Saturday (13 February). */
const SCHEDULE_2027 = {
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
  ],
  makeUpWorkdays: ['2027-02-13'],
};

async function activePolicy(): Promise<SlaPolicy> {
  const res = await as(AGENT, 'get', '/v1/policy');
  expect(res.status).toBe(200);
  return res.body as SlaPolicy;
}

/** The active policy with next year's schedule added, as a draft body. */
async function with2027(): Promise<object> {
  const policy = await activePolicy();
  const { calendar } = policy;
  return {
    ...policy,
    calendar: {
      ...calendar,
      holidays: [...calendar.holidays, ...SCHEDULE_2027.holidays],
      makeUpWorkdays: [...calendar.makeUpWorkdays, ...SCHEDULE_2027.makeUpWorkdays],
      coveredYears: [...calendar.coveredYears, 2027],
    },
  };
}

describe('version 1', () => {
  it('is seeded at start from the start-up policy, published, by system', async () => {
    const res = await as(AGENT, 'get', '/v1/policy/versions');
    expect(res.status).toBe(200);
    const first = PolicyVersionListV1.parse(res.body).items.at(-1)!;
    expect(first).toMatchObject({
      id: 1,
      status: 'published',
      basedOn: null,
      createdBy: { sub: 'system', role: 'system' },
      reason: 'seeded from the spec defaults',
      changes: [],
    });
    expect(first.policy).toEqual({ ...h.config.policy, version: '1' });
    expect(first.events).toEqual([
      expect.objectContaining({ action: 'seeded', by: { sub: 'system', role: 'system' } }),
    ]);
    expect(await activePolicy()).toEqual({ ...h.config.policy, version: '1' });
  });
});

describe('a draft', () => {
  it('is stored with the next id and its changes against the active version (201)', async () => {
    const res = await as(OPS, 'post', '/v1/policy/versions', {
      policy: { ...(await with2027()), firstResponse: 'PT30M' },
      reason: 'The 2027 schedule',
    });
    expect(res.status).toBe(201);
    const draft = versionOf(res);
    expect(res.headers.location).toBe(`/v1/policy/versions/${draft.id}`);
    expect(draft).toMatchObject({ status: 'draft', basedOn: 1, createdBy: OPS, reason: 'The 2027 schedule' });
    expect(draft.id).toBeGreaterThan(1);
    expect(draft.policy.version).toBe(String(draft.id));
    expect(draft.changes).toEqual(
      expect.arrayContaining([
        { path: 'calendar.holidays', added: SCHEDULE_2027.holidays, removed: [] },
        { path: 'calendar.makeUpWorkdays', added: ['2027-02-13'], removed: [] },
        { path: 'calendar.coveredYears', from: [2026], to: [2026, 2027] },
        { path: 'firstResponse', from: 'PT15M', to: 'PT30M' },
      ]),
    );
    expect(draft.changes).toHaveLength(4);
    expect(draft.events).toEqual([
      expect.objectContaining({ action: 'drafted', by: OPS, reason: 'The 2027 schedule' }),
    ]);
    // Nothing published: new cases still open with version 1.
    expect((await activePolicy()).version).toBe('1');
    expect(versionOf(await as(AGENT, 'get', `/v1/policy/versions/${draft.id}`))).toEqual(draft);
  });

  const calendar = (over: object) => ({ policy: { calendar: over } });
  it.each([
    ['an unknown time zone', calendar({ timeZone: 'Asia/Shangai' }), ['policy.calendar.timeZone']],
    [
      'service hours that end before they start',
      calendar({ serviceHours: { start: '21:00', end: '09:00' } }),
      ['policy.calendar.serviceHours'],
    ],
    ['no working weekday', calendar({ workingWeekdays: [] }), ['policy.calendar.workingWeekdays']],
    ['an unknown key', { policy: { firstRespons: 'PT15M' } }, ['policy.firstRespons']],
    ['an unknown key in the calendar', calendar({ holiday: ['2027-01-01'] }), ['policy.calendar.holiday']],
    [
      'a date both holiday and make-up day',
      calendar({ holidays: ['2026-10-01'], makeUpWorkdays: ['2026-10-01'], coveredYears: [2026] }),
      ['policy.calendar.makeUpWorkdays'],
    ],
    [
      'a date listed twice',
      calendar({ holidays: ['2026-10-01', '2026-10-01'], makeUpWorkdays: [], coveredYears: [2026] }),
      ['policy.calendar.holidays'],
    ],
    [
      'a date that is not a date',
      calendar({ holidays: ['2027-02-30'], makeUpWorkdays: [], coveredYears: [2026, 2027] }),
      ['policy.calendar.holidays'],
    ],
    ['no policy', { reason: 'forgot it' }, ['policy']],
  ])('with %s is refused (400) naming the field, and nothing is stored', async (_what, body, paths) => {
    const before = await versionCount();
    const res = await as(OPS, 'post', '/v1/policy/versions', body);
    expect(res.status).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('invalid_request');
    for (const path of paths)
      expect(error.details.map((d) => d.path)).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`^${path.replace(/\./g, '\\.')}(\\.|$)`))]),
      );
    expect(await versionCount()).toBe(before);
  });

  it('is for the ops manager to make; staff read, the parties and system may not (403)', async () => {
    const p = party();
    const who = callers(p.customerId, p.merchantId);
    for (const role of ['agent', 'supervisor', 'compliance', 'customer', 'merchant', 'system'] as const) {
      expect((await as(who[role], 'post', '/v1/policy/versions', { policy: {} })).status).toBe(403);
    }
    for (const role of ['agent', 'supervisor', 'ops_manager', 'compliance'] as const)
      expect((await as(who[role], 'get', '/v1/policy/versions')).status).toBe(200);
    for (const role of ['customer', 'merchant', 'system'] as const)
      expect((await as(who[role], 'get', '/v1/policy/versions')).status).toBe(403);
  });
});

describe("a year's calendar", () => {
  it('shows the official days of a year the version covers (2026)', async () => {
    const res = await as(AGENT, 'get', '/v1/policy/versions/1/calendar?year=2026');
    expect(res.status).toBe(200);
    const year = PolicyCalendarV1.parse(res.body);
    expect(year).toMatchObject({ year: 2026, official: true });
    expect(year.days).toEqual(
      expect.arrayContaining([
        { date: '2026-01-01', kind: 'holiday', source: 'official' },
        { date: '2026-01-04', kind: 'make_up_workday', source: 'official' },
        { date: '2026-10-07', kind: 'holiday', source: 'official' },
      ]),
    );
    expect(year.days.every((d) => d.source === 'official' && d.date.startsWith('2026-'))).toBe(true);
  });

  it('computes the statutory festival days of a year it does not cover (2027), without make-up days', async () => {
    const res = await as(AGENT, 'get', '/v1/policy/versions/1/calendar?year=2027');
    expect(res.status).toBe(200);
    const year = PolicyCalendarV1.parse(res.body);
    expect(year).toMatchObject({ year: 2027, official: false });
    // From the published calendars: Spring Festival 6 February 2027 (eve the 5th), Qingming 5 April,
    // Dragon Boat 9 June, Mid-Autumn 15 September.
    expect(year.days).toEqual(
      expect.arrayContaining([
        { date: '2027-01-01', kind: 'holiday', source: 'computed', festival: 'new_year' },
        { date: '2027-02-05', kind: 'holiday', source: 'computed', festival: 'spring_festival' },
        { date: '2027-02-06', kind: 'holiday', source: 'computed', festival: 'spring_festival' },
        { date: '2027-04-05', kind: 'holiday', source: 'computed', festival: 'qingming' },
        { date: '2027-06-09', kind: 'holiday', source: 'computed', festival: 'dragon_boat' },
        { date: '2027-09-15', kind: 'holiday', source: 'computed', festival: 'mid_autumn' },
        { date: '2027-10-03', kind: 'holiday', source: 'computed', festival: 'national_day' },
      ]),
    );
    expect(year.days).toHaveLength(13);
    expect(year.days.some((d) => d.kind === 'make_up_workday')).toBe(false);
  });

  it('shows a loaded 2027 schedule as official, with its make-up Saturday', async () => {
    const draft = versionOf(await as(OPS, 'post', '/v1/policy/versions', { policy: await with2027() }));
    const year = PolicyCalendarV1.parse(
      (await as(OPS, 'get', `/v1/policy/versions/${draft.id}/calendar?year=2027`)).body,
    );
    expect(year.official).toBe(true);
    expect(year.days).toContainEqual({ date: '2027-02-13', kind: 'make_up_workday', source: 'official' });
    expect(year.days.filter((d) => d.kind === 'holiday')).toHaveLength(SCHEDULE_2027.holidays.length);
  });

  it('refuses a year that is not one (400) and an unknown version (404)', async () => {
    expect(errorOf(await as(AGENT, 'get', '/v1/policy/versions/1/calendar?year=27')).details[0]?.path).toBe('year');
    expect((await as(AGENT, 'get', '/v1/policy/versions/9999/calendar?year=2027')).status).toBe(404);
    expect(errorOf(await as(AGENT, 'get', '/v1/policy/versions/abc')).details[0]?.path).toBe('v');
  });
});

describe('what-if', () => {
  it('answers the report over the last 30 days by default', async () => {
    const res = await as(OPS, 'post', '/v1/policy/versions/1/what-if');
    expect(res.status).toBe(200);
    const report = WhatIfReportV1.parse(res.body);
    expect(Date.parse(report.period.to) - Date.parse(report.period.from)).toBe(30 * 24 * 3_600_000);
  });

  it('takes a period of days or instants', async () => {
    const res = await as(OPS, 'post', '/v1/policy/versions/1/what-if?from=2026-11-01&to=2026-12-01T00:00:00%2B08:00');
    expect(res.status).toBe(200);
    expect(WhatIfReportV1.parse(res.body).period).toEqual({
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
    });
  });

  it.each([
    ['to before from', '?from=2026-12-01&to=2026-11-01', 'to'],
    ['more than a year', '?from=2025-01-01&to=2026-06-01', 'to'],
    ['a from that is no date', '?from=yesterday', 'from'],
  ])('refuses %s (400 naming the field)', async (_what, query, path) => {
    const res = await as(OPS, 'post', `/v1/policy/versions/1/what-if${query}`);
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain(path);
  });

  it('is 404 for an unknown version and 403 for anyone but the ops manager', async () => {
    expect((await as(OPS, 'post', '/v1/policy/versions/9999/what-if')).status).toBe(404);
    expect((await as({ sub: 'sup-1', role: 'supervisor' }, 'post', '/v1/policy/versions/1/what-if')).status).toBe(403);
  });
});

describe('publishing', () => {
  const running = party();
  const later = party();
  let runningId = '';
  let published: ReturnType<typeof PublishedPolicyVersionV1.parse>;

  beforeAll(async () => {
    putOrder(h.sandbox, running);
    putOrder(h.sandbox, later);
    // A case running with version 1 before the publish.
    const opened = await as(
      callers(running.customerId, running.merchantId).customer,
      'post',
      '/v1/complaints',
      openBody(running),
    );
    expect(opened.status).toBe(201);
    runningId = viewOf(opened).complaintId;
    expect(viewOf(opened).policyVersion).toBe('1');
  });

  it('makes the draft the policy new cases open with at once (200), with who, when and why', async () => {
    const draft = versionOf(
      await as(OPS, 'post', '/v1/policy/versions', { policy: await with2027(), reason: 'The 2027 schedule' }),
    );
    const res = await as(OPS, 'post', `/v1/policy/versions/${draft.id}/publish`, {
      reason: 'State Council notice of 2027',
    });
    expect(res.status).toBe(200);
    published = PublishedPolicyVersionV1.parse(res.body);
    expect(published).toMatchObject({
      id: draft.id,
      status: 'published',
      publishedBy: OPS,
      publishReason: 'State Council notice of 2027',
    });
    expect(published.rollout.workflowId).toBe(`policy-rollout-${h.config.TEMPORAL_TASK_QUEUE}-${draft.id}`);
    expect(published.rollout.startedAt).not.toBeNull();
    expect(published.events.map((e) => [e.action, e.by.sub, e.reason])).toEqual([
      ['drafted', 'ops-1', 'The 2027 schedule'],
      ['published', 'ops-1', 'State Council notice of 2027'],
    ]);
    const active = await activePolicy();
    expect(active.version).toBe(String(draft.id));
    expect(active.calendar.coveredYears).toContain(2027);

    const opened = await as(
      callers(later.customerId, later.merchantId).customer,
      'post',
      '/v1/complaints',
      openBody(later),
    );
    expect(opened.status).toBe(201);
    expect(viewOf(opened).policyVersion).toBe(String(draft.id));
  });

  it('refuses to publish it again (409), an unknown version (404), and no reason (400)', async () => {
    const again = await as(OPS, 'post', `/v1/policy/versions/${published.id}/publish`, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('already_published');
    expect((await as(OPS, 'post', '/v1/policy/versions/9999/publish', { reason: 'none such' })).status).toBe(404);
    const draft = versionOf(await as(OPS, 'post', '/v1/policy/versions', { policy: await activePolicy() }));
    expect(
      errorOf(await as(OPS, 'post', `/v1/policy/versions/${draft.id}/publish`, {})).details.map((d) => d.path),
    ).toEqual(['reason']);
    expect(
      (
        await as({ sub: 'sup-1', role: 'supervisor' }, 'post', `/v1/policy/versions/${draft.id}/publish`, {
          reason: 'not mine',
        })
      ).status,
    ).toBe(403);
  });

  it('offers the running cases the new calendar: the rollout signals them and completes', async () => {
    const result = await h.temporal.workflow
      .getHandle<typeof policyRolloutWorkflow>(published.rollout.workflowId)
      .result();
    expect(result.policyVersion).toBe(published.id);
    // The cases of this file run on the harness's task queue: the one opened before the publish, and
    // the one opened after (which has the version already), which visibility may list only in the second pass.
    expect(result.passes[0].signalled).toBeGreaterThanOrEqual(1);
    expect(result.passes[0].signalled + result.passes[1].signalled).toBeGreaterThanOrEqual(2);
    expect(result.passes[0].skipped).toBe(0);
  }, 60_000);

  it('the running case takes the new calendar (its timeline says so)', async () => {
    const timeline = await eventually(
      async () =>
        (await as(AGENT, 'get', `/v1/complaints/${runningId}/timeline`)).body as Array<{
          action: string;
          detail: Record<string, unknown>;
        }>,
      (entries) => entries.some((e) => e.action === 'calendar_updated'),
      'the calendar update on the timeline',
    );
    expect(timeline.find((e) => e.action === 'calendar_updated')?.detail).toMatchObject({
      fromPolicyVersion: 1,
      toPolicyVersion: published.id,
    });
  }, 60_000);

  it('refuses a draft made from a version another publish replaced since (409): it would undo that one', async () => {
    const base = await activePolicy();
    const first = versionOf(
      await as(OPS, 'post', '/v1/policy/versions', { policy: { ...base, firstResponse: 'PT20M' } }),
    );
    const second = versionOf(
      await as(OPS, 'post', '/v1/policy/versions', { policy: { ...base, firstResponse: 'PT25M' } }),
    );
    expect((await as(OPS, 'post', `/v1/policy/versions/${first.id}/publish`, { reason: 'first' })).status).toBe(200);
    const stale = await as(OPS, 'post', `/v1/policy/versions/${second.id}/publish`, { reason: 'second' });
    expect(stale.status).toBe(409);
    expect(errorOf(stale).code).toBe('stale_draft');
    expect((await activePolicy()).firstResponse).toBe('PT20M');
    expect(versionOf(await as(OPS, 'get', `/v1/policy/versions/${second.id}`)).status).toBe('draft');
  });

  it('lists every version newest first', async () => {
    const items = PolicyVersionListV1.parse((await as(AGENT, 'get', '/v1/policy/versions')).body).items;
    expect(items.map((v) => v.id)).toEqual([...items.map((v) => v.id)].sort((a, b) => b - a));
    expect(items.at(-1)?.id).toBe(1);
  });
});

describe('two API processes on one store', () => {
  const policy = SlaPolicy.parse({});
  const ops = { sub: 'ops-1', role: 'ops_manager' as const };

  it('seed one version 1, assign distinct ids, and publish one of two drafts from the same version', async () => {
    const db = await freshStore('policy-race');
    try {
      await Promise.all(Array.from({ length: 4 }, () => seedPolicyVersion(db.policyVersions, policy, 'spec defaults')));
      expect(await db.policyVersions.countDocuments()).toBe(1);
      const v1 = (await findVersion(db.policyVersions, 1))!;
      const drafts = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          createDraft(db.policyVersions, {
            policy: { ...policy, objectionWindow: `PT${i + 30}H` },
            reason: null,
            by: ops,
            active: v1,
          }),
        ),
      );
      expect(drafts.map((d) => d._id).sort()).toEqual([2, 3, 4, 5, 6]);
      const outcomes = await Promise.all(
        [2, 3].map((id) =>
          publishVersion(db.policyVersions, id, { by: ops, reason: 'race', rolloutWorkflowId: `r-${id}` }),
        ),
      );
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['published', 'stale']);
    } finally {
      await dropStore(db);
    }
  });

  it("see each other's publish within the cache time; the publishing one at once", async () => {
    const db = await freshStore('policy-cache');
    try {
      let clock = 0;
      const now = () => clock;
      const config = { policy, COMPLAINT_POLICY_FILE: undefined };
      const mine = createPolicyBook({ db, config }, { now });
      const theirs = createPolicyBook({ db, config }, { now });
      expect((await mine.active()).version).toBe('1');
      expect((await theirs.active()).version).toBe('1');
      const draft = await createDraft(db.policyVersions, {
        policy,
        reason: null,
        by: ops,
        active: await mine.activeVersion(),
      });
      const result = await publishVersion(db.policyVersions, draft._id, {
        by: ops,
        reason: 'now',
        rolloutWorkflowId: 'r',
      });
      if (result.outcome !== 'published') throw new Error(result.outcome);
      mine.adopt(result.version);
      clock = 4_000;
      expect((await mine.active()).version).toBe(String(draft._id));
      expect((await theirs.active()).version).toBe('1');
      clock = 5_001;
      expect((await theirs.active()).version).toBe(String(draft._id));
    } finally {
      await dropStore(db);
    }
  });
});
