import { DateTime } from 'luxon';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { MONTH_PATTERN, QA_CHECKLIST, QA_ITEMS, QA_MIN_PER_AGENT, QA_SAMPLE_SHARE, type QaItem } from '../../shared/qa';
import { drawMonth, listReviews, monthRange, scoreReview, scoresPerAgent, type QaReviewDoc } from '../../store/qa';
import { callerOf } from '../auth';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { allow } from '../permissions';
import { ComplaintParams, Identifier } from '../schemas';
import { parseBody, parseQuery } from '../validate';

/**
 * Sampling QA (docs/domain.md §11.3): `POST /v1/qa/draws` draws a month's closed cases into the review
 * queue (once; again answers the same sample), `GET /v1/qa/reviews` is the queue, `POST
 * /v1/qa/reviews/:id/score` scores one against the checklist (shared/qa.ts), and `GET /v1/reports/qa`
 * reports the scores per agent.
 */

const Month = z
  .string()
  .regex(MONTH_PATTERN, 'must be a month, YYYY-MM')
  .describe("a month, YYYY-MM, in the platform's time zone");

export const QaDrawRequestV1 = z.strictObject({ month: Month });

export const QaDrawV1 = z
  .object({
    month: z.string(),
    seed: z
      .string()
      .describe(
        "the draw's seed: each closed case is ranked by HMAC-SHA256(seed, complaintId), so the sample can be recomputed",
      ),
    share: z.number(),
    minPerAgent: z.number().int(),
    timeZone: z.string(),
    population: z.number().int().describe('cases closed in the month and not drawn in an earlier month'),
    complaintIds: z.array(z.string()),
    drawnBy: z.string(),
    drawnAt: z.iso.datetime(),
  })
  .meta({ id: 'QaDrawV1' });

const Check = z.strictObject({
  pass: z.boolean(),
  note: z.string().trim().max(500).default(''),
});

export const QaScoreRequestV1 = z.strictObject({
  checks: z
    .strictObject(Object.fromEntries(QA_ITEMS.map((item) => [item, Check])) as Record<QaItem, typeof Check>)
    .describe(`every item of the checklist: ${QA_CHECKLIST.map((c) => `${c.item} (${c['zh-CN']})`).join(', ')}`),
});

export const QaReviewV1 = z
  .object({
    complaintId: z.string(),
    month: z.string(),
    agentId: z.string().nullable().describe('who owned the case when it closed'),
    closedAt: z.iso.datetime(),
    status: z.enum(['pending', 'scored']),
    checks: z
      .array(z.object({ item: z.enum(QA_ITEMS), label: z.string(), pass: z.boolean(), note: z.string() }))
      .nullable(),
    passed: z.number().int().nullable().describe('items passed, of the checklist'),
    reviewer: z.string().nullable(),
    scoredAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'QaReviewV1' });

export const QaReviewListV1 = z
  .object({
    items: z.array(QaReviewV1),
    nextCursor: z.string().nullable(),
    checklist: z.array(z.object({ item: z.string(), 'zh-CN': z.string(), en: z.string() })),
  })
  .meta({ id: 'QaReviewListV1' });

const CursorJson = z.tuple([z.string(), z.string()]);
const decode = (text: string) => {
  try {
    const [month, complaintId] = CursorJson.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { month, complaintId };
  } catch {
    return null;
  }
};
const encode = (c: { month: string; complaintId: string }) =>
  Buffer.from(JSON.stringify([c.month, c.complaintId])).toString('base64url');

export const QaReviewQuery = z.object({
  month: Month.optional(),
  status: z.enum(['pending', 'scored']).optional(),
  agentId: Identifier.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .refine((c) => decode(c) !== null, 'not a cursor this API handed out')
    .optional()
    .describe('nextCursor of the previous page'),
});

export const QaScoresQuery = z.object({ month: Month.optional().describe('one month; every month drawn when absent') });

const ItemTally = z.object({ pass: z.number().int(), fail: z.number().int() });
export const QaScoresV1 = z
  .object({
    month: z.string().nullable(),
    agents: z.array(
      z.object({
        agentId: z.string().nullable().describe('null: cases closed with nobody owning them'),
        drawn: z.number().int(),
        scored: z.number().int(),
        passRate: z.number().nullable().describe('items passed over items checked, 0 to 1; null before any score'),
        items: z.record(z.string(), ItemTally),
      }),
    ),
  })
  .meta({ id: 'QaScoresV1' });

const LABEL = Object.fromEntries(QA_CHECKLIST.map((c) => [c.item, c['zh-CN']])) as Record<QaItem, string>;

function reviewOf(d: QaReviewDoc & { _id: string }): z.infer<typeof QaReviewV1> {
  const checks = d.checks
    ? d.checks.map((c) => ({
        item: c.item as QaItem,
        label: LABEL[c.item as QaItem],
        pass: c.pass,
        note: c.note ?? '',
      }))
    : null;
  return {
    complaintId: d._id,
    month: d.month,
    agentId: d.agentId ?? null,
    closedAt: d.closedAt.toISOString(),
    status: d.scoredAt ? 'scored' : 'pending',
    checks,
    passed: checks ? checks.filter((c) => c.pass).length : null,
    reviewer: d.reviewer ?? null,
    scoredAt: d.scoredAt ? d.scoredAt.toISOString() : null,
  };
}

const caseOf = (res: Response) => ComplaintParams.parse({ id: res.locals.complaintId }).id;

export function qaRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  const timeZone = config.policy.calendar.timeZone;

  router.post('/draws', allow('POST /v1/qa/draws'), async (req, res) => {
    const { month } = parseBody(QaDrawRequestV1, req);
    // A month still running would freeze its sample before its last cases close.
    if (monthRange(month, timeZone).to.getTime() > Date.now()) {
      throw new ApiError(
        'wrong_stage',
        `${month} has not ended in ${timeZone}; draw it from ${DateTime.fromJSDate(monthRange(month, timeZone).to, { zone: timeZone }).toISO()}`,
        [{ path: 'month', message: 'has not ended' }],
      );
    }
    const { draw, created } = await drawMonth(db, {
      month,
      timeZone,
      share: QA_SAMPLE_SHARE,
      minPerAgent: QA_MIN_PER_AGENT,
      drawnBy: callerOf(res).sub,
    });
    req.log.info({ month, created, population: draw.population, drawn: draw.complaintIds.length }, 'qa draw');
    res
      .status(created ? 201 : 200)
      .json(QaDrawV1.parse({ ...draw, month: draw._id, drawnAt: draw.drawnAt.toISOString() }));
  });

  router.get('/reviews', allow('GET /v1/qa/reviews'), async (req, res) => {
    const { limit, cursor, ...filter } = parseQuery(QaReviewQuery, req);
    const page = await listReviews(db, filter, { limit, after: cursor ? (decode(cursor) ?? undefined) : undefined });
    res.json(
      QaReviewListV1.parse({
        items: page.items.map(reviewOf),
        nextCursor: page.next ? encode(page.next) : null,
        checklist: QA_CHECKLIST,
      }),
    );
  });

  router.param('id', (_req, res, next, id: string) => {
    res.locals.complaintId = ComplaintParams.parse({ id }).id;
    next();
  });

  router.post('/reviews/:id/score', allow('POST /v1/qa/reviews/:id/score'), async (req, res) => {
    const id = caseOf(res);
    const { checks } = parseBody(QaScoreRequestV1, req);
    const scored = await scoreReview(db, id, checks, callerOf(res).sub);
    if (!scored) {
      if (!(await db.cases.exists({ _id: id }))) throw new ApiError('not_found', `no case ${id}`, [], id);
      throw new ApiError('wrong_stage', `case ${id} was not drawn for QA`, [], id);
    }
    res.json(QaReviewV1.parse(reviewOf(scored)));
  });

  return router;
}

/** `GET /v1/reports/qa`: the QA scores per agent. */
export function qaReportRoutes({ db }: AppDeps): Router {
  const router = Router();
  router.get('/qa', allow('GET /v1/reports/qa'), async (req, res) => {
    const { month } = parseQuery(QaScoresQuery, req);
    res.json(QaScoresV1.parse({ month: month ?? null, agents: await scoresPerAgent(db, month) }));
  });
  return router;
}
