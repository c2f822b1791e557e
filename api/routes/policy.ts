import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { statutoryHolidays } from '../../shared/festivals';
import { SlaPolicy } from '../../shared/policy';
import {
  createDraft,
  findVersion,
  listVersions,
  publishVersion,
  PolicyVersionV1,
  SlaPolicyV1,
  toPolicyVersionV1,
  type PolicyActorV1,
  type PolicyVersionDoc,
} from '../../store/policyVersions';
import { whatIf } from '../../store/whatIf';
import { callerOf } from '../auth';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { allow } from '../permissions';
import { rolloutWorkflowId, startPolicyRollout } from '../policyRollout';
import { parseBody, parseQuery } from '../validate';

/**
 * `/v1/policy`: the SLA policy new cases open with (running cases keep the one they opened with,
 * and take only a newer calendar), and its versions: drafts operations make, check (what-if) and
 * publish, each step in the version's audit trail.
 */

export const PolicyVersionParams = z.object({
  v: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, 'must be a version id: 1, 2, …')
    .transform(Number)
    .describe('the version id'),
});

const reason = z.string().trim().min(1, 'must not be blank').max(500);

export const PolicyDraftRequestV1 = z
  .object({
    policy: SlaPolicyV1,
    reason: reason.optional().describe('why, for the audit trail'),
  })
  .meta({ id: 'PolicyDraftRequestV1' });

export const PublishPolicyRequestV1 = z
  .object({ reason: reason.describe('why, for the audit trail') })
  .meta({ id: 'PublishPolicyRequestV1' });

export const PolicyVersionListV1 = z
  .object({ items: z.array(PolicyVersionV1).describe('newest first') })
  .meta({ id: 'PolicyVersionListV1' });

export const PublishedPolicyVersionV1 = PolicyVersionV1.extend({
  rollout: z.object({
    workflowId: z.string().describe('the Temporal workflow offering the calendar to running cases'),
    startedAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .describe('null if Temporal did not take it yet; the API starts it again until it does'),
  }),
}).meta({ id: 'PublishedPolicyVersionV1' });

export const PolicyCalendarQuery = z.object({
  year: z
    .string()
    // The range in the pattern itself, so the OpenAPI document says which years the route takes:
    // from 2025, the first year of the statutory rules the calendar computes (shared/festivals.ts).
    .regex(/^(202[5-9]|20[3-9]\d|2100)$/, 'must be a year from 2025 to 2100')
    .transform(Number)
    .optional()
    .describe("the year to show; this year in the policy's time zone if left out"),
});

export const PolicyCalendarV1 = z
  .object({
    year: z.number().int(),
    official: z.boolean().describe("the version's calendar holds the official schedule of this year (coveredYears)"),
    days: z
      .array(
        z.object({
          date: z.string().describe('YYYY-MM-DD'),
          kind: z.enum(['holiday', 'make_up_workday']),
          source: z
            .enum(['official', 'computed'])
            .describe('from the published schedule, or computed from the festival rules (no make-up days)'),
          festival: z
            .enum([
              'new_year',
              'spring_festival',
              'qingming',
              'labour_day',
              'dragon_boat',
              'mid_autumn',
              'national_day',
            ])
            .optional(),
        }),
      )
      .describe('by date'),
  })
  .meta({ id: 'PolicyCalendarV1' });
export type PolicyCalendarV1 = z.infer<typeof PolicyCalendarV1>;

const dayOrInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .describe("YYYY-MM-DD (midnight in the version's time zone) or an ISO-8601 time with offset");

export const WhatIfQuery = z.object({
  from: dayOrInstant.optional().describe('cases opened at or after; 30 days before `to` if left out'),
  to: dayOrInstant.optional().describe('cases opened before; now if left out. At most one year after from'),
});

const DEFAULT_WHAT_IF_DAYS = 30;

/** The what-if's period: cases opened in [from, to), at most a year, the last 30 days by default. */
export function whatIfPeriod(
  query: z.infer<typeof WhatIfQuery>,
  timeZone: string,
  now = new Date(),
): { from: Date; to: Date } {
  const at = (s: string) =>
    /^\d{4}-\d{2}-\d{2}$/.test(s) ? DateTime.fromISO(s, { zone: timeZone }).toJSDate() : new Date(s);
  const to = query.to ? at(query.to) : now;
  const from = query.from ? at(query.from) : new Date(to.getTime() - DEFAULT_WHAT_IF_DAYS * 86_400_000);
  const refuse = (message: string) =>
    new ApiError('invalid_request', `the period is invalid: to ${message}`, [{ path: 'to', message }]);
  if (from.getTime() >= to.getTime()) throw refuse(`must be after from (${from.toISOString()})`);
  if (DateTime.fromJSDate(from).plus({ years: 1 }).toMillis() < to.getTime())
    throw refuse(`must be at most one year after from (${from.toISOString()})`);
  return { from, to };
}

/**
 * A year's days off and make-up days under a version: the official ones its calendar lists and, for
 * a year whose schedule it does not hold, the statutory festival days computed from their rules.
 */
export function yearCalendar(policy: SlaPolicy, year: number): PolicyCalendarV1 {
  const { holidays, makeUpWorkdays, coveredYears } = policy.calendar;
  const inYear = (date: string) => date.startsWith(`${year}-`);
  const days: PolicyCalendarV1['days'] = [
    ...holidays.filter(inYear).map((date) => ({ date, kind: 'holiday' as const, source: 'official' as const })),
    ...makeUpWorkdays
      .filter(inYear)
      .map((date) => ({ date, kind: 'make_up_workday' as const, source: 'official' as const })),
  ];
  const official = coveredYears.includes(year);
  if (!official) {
    let computed: ReturnType<typeof statutoryHolidays>;
    try {
      computed = statutoryHolidays(year);
    } catch (err) {
      throw new ApiError(
        'invalid_request',
        `no official schedule of ${year} in this version, and ${(err as Error).message}`,
        [{ path: 'year', message: (err as Error).message }],
      );
    }
    const listed = new Set(days.map((d) => d.date));
    days.push(
      ...computed
        .filter((d) => !listed.has(d.date))
        .map((d) => ({ date: d.date, kind: 'holiday' as const, source: 'computed' as const, festival: d.festival })),
    );
  }
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { year, official, days };
}

const actorOf = (res: Response): PolicyActorV1 => {
  const { sub, role } = callerOf(res);
  return { sub, role };
};

export function policyRoutes(deps: AppDeps): Router {
  const { db, policies } = deps;
  const router = Router();

  const versionOf = async (req: Request): Promise<PolicyVersionDoc> => {
    const { v } = PolicyVersionParams.parse(req.params);
    const version = await findVersion(db.policyVersions, v);
    if (!version)
      throw new ApiError('not_found', `no policy version ${v}`, [{ path: 'v', message: 'no such version' }]);
    return version;
  };

  router.get('/', allow('GET /v1/policy'), async (_req, res) => {
    res.json(await policies.active());
  });

  router.get('/versions', allow('GET /v1/policy/versions'), async (_req, res) => {
    res.json({ items: (await listVersions(db.policyVersions)).map(toPolicyVersionV1) });
  });

  router.post('/versions', allow('POST /v1/policy/versions'), async (req, res) => {
    // Refused here, naming each field under `policy.`, before anything is stored.
    const body = parseBody(PolicyDraftRequestV1, req);
    const active = await policies.activeVersion();
    const draft = await createDraft(db.policyVersions, {
      policy: body.policy,
      reason: body.reason ?? null,
      by: actorOf(res),
      active,
    });
    res.status(201).location(`/v1/policy/versions/${draft._id}`).json(toPolicyVersionV1(draft));
  });

  router.get('/versions/:v', allow('GET /v1/policy/versions/:v'), async (req, res) => {
    res.json(toPolicyVersionV1(await versionOf(req)));
  });

  router.post('/versions/:v/publish', allow('POST /v1/policy/versions/:v/publish'), async (req, res) => {
    const { v } = PolicyVersionParams.parse(req.params);
    const body = parseBody(PublishPolicyRequestV1, req);
    const result = await publishVersion(db.policyVersions, v, {
      by: actorOf(res),
      reason: body.reason,
      rolloutWorkflowId: rolloutWorkflowId(deps.config.TEMPORAL_TASK_QUEUE, v),
    });
    if (result.outcome === 'not_found')
      throw new ApiError('not_found', `no policy version ${v}`, [{ path: 'v', message: 'no such version' }]);
    if (result.outcome === 'already_published') {
      throw new ApiError(
        'already_published',
        `policy version ${v} was published at ${result.version.publishedAt?.toISOString() ?? 'an unknown time'} by ${result.version.publishedBy?.sub ?? 'unknown'}`,
      );
    }
    if (result.outcome === 'stale') {
      throw new ApiError(
        'stale_draft',
        `policy version ${v} was drafted from version ${result.version.basedOn}, which another published version replaced (active now: ${result.active}); make a new draft from the active version`,
      );
    }
    // New cases in this process open with it from now on; the others' caches run out within seconds.
    policies.adopt(result.version);
    const started = await startPolicyRollout(deps, result.version);
    const published = toPolicyVersionV1((started && (await findVersion(db.policyVersions, v))) || result.version);
    const rollout = published.rollout ?? {
      workflowId: rolloutWorkflowId(deps.config.TEMPORAL_TASK_QUEUE, v),
      startedAt: null,
    };
    const answer: z.infer<typeof PublishedPolicyVersionV1> = { ...published, rollout };
    res.json(answer);
  });

  router.get('/versions/:v/calendar', allow('GET /v1/policy/versions/:v/calendar'), async (req, res) => {
    const { year } = parseQuery(PolicyCalendarQuery, req);
    const version = await versionOf(req);
    const thisYear = DateTime.now().setZone(version.policy.calendar.timeZone).year;
    res.json(yearCalendar(version.policy, year ?? thisYear));
  });

  router.post('/versions/:v/what-if', allow('POST /v1/policy/versions/:v/what-if'), async (req, res) => {
    const query = parseQuery(WhatIfQuery, req);
    const version = await versionOf(req);
    const period = whatIfPeriod(query, version.policy.calendar.timeZone);
    res.json(await whatIf(db, version.policy, period));
  });

  return router;
}
