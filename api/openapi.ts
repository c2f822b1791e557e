import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CaseViewV1, TimelineEntryV1 } from '../shared/caseView';
import {
  EVIDENCE_ITEMS_PER_CASE_MAX,
  EVIDENCE_ITEMS_PER_REQUEST_MAX,
  EVIDENCE_URL_MAX,
  ResolutionType,
  SUB_TYPES,
} from '../shared/domain';
import { PolicyVersionV1, SlaPolicyV1 } from '../store/policyVersions';
import { SummaryReportV1 } from '../store/reports';
import { WhatIfReportV1 } from '../store/whatIf';
import { CarrierEventV1 } from '../shared/providers';
import { ONE_TYPE_FIELDS, paysAmount } from '../shared/commands';
import { ACTIONS } from './actions';
import { CARRIER_HEADER, SIGNATURE_HEADER, SIGNATURE_TOLERANCE_S } from '../clients/carrierSignature';
import { ErrorBody } from './errors';
import { PERMISSIONS, ROLE_NOTES, type Operation } from './permissions';
import { CustomerRecordV1 } from './customerRecord';
import { CarrierEventAcceptedV1 } from './routes/carrierEvents';
import { CustomerRecordQuery } from './routes/me';
import {
  QaDrawRequestV1,
  QaDrawV1,
  QaReviewListV1,
  QaReviewQuery,
  QaReviewV1,
  QaScoreRequestV1,
  QaScoresQuery,
  QaScoresV1,
} from './routes/qa';
import { StuckCasesV1 } from './routes/ops';
import { ProfessionalComplainantsV1, SatisfiedCustomersV1 } from './routes/reports';
import {
  FlagDecisionRequestV1,
  FlagParams,
  SupplierFlagListV1,
  SupplierFlagQuery,
  SupplierFlagV1,
} from './routes/merchants';
import { FixListV1, FixParams, FixQuery, FixV1, RecordFixRequestV1 } from './routes/fixes';
import { CustomerParams, DedicatedAgentRequestV1, DedicatedAgentV1 } from './routes/customers';
import {
  PolicyCalendarQuery,
  PolicyCalendarV1,
  PolicyDraftRequestV1,
  PolicyVersionListV1,
  PolicyVersionParams,
  PublishPolicyRequestV1,
  PublishedPolicyVersionV1,
  WhatIfQuery,
} from './routes/policy';
import {
  CaseListV1,
  CaseResponseV1,
  ChoiceResponseV1,
  ComplaintParams,
  Health,
  ListComplaintsQuery,
  OpenComplaintRequest,
  ProfessionalComplainantsQuery,
  ReportQuery,
  SatisfiedCustomersQuery,
} from './schemas';

/**
 * The HTTP contract as OpenAPI 3.1, generated from the same zod schemas that validate requests, and
 * from the route × role table, so the document cannot drift from what the API does.
 */

// Named once, so the document refers to them instead of repeating them inline.
const CaseView = CaseViewV1.meta({ id: 'CaseViewV1' });
const CaseResponse = CaseResponseV1.meta({ id: 'CaseResponseV1' });
const ErrorResponse = ErrorBody.meta({ id: 'Error' });

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

const ERROR_MEANING: Record<number, string> = {
  400: 'malformed or failed validation; details lists each field',
  401: 'no or bad bearer token',
  403: 'the role may not do this',
  404: "no such case, or not the caller's",
  409: 'the case is not at a stage where this action fits, or it is closed',
  422: 'valid shape, refused by policy',
  429: 'too many requests from this caller',
  503: 'Temporal or the database is unreachable; nothing was changed',
};

function errors(...statuses: number[]): RouteConfig['responses'] {
  return Object.fromEntries(statuses.map((s) => [s, { description: ERROR_MEANING[s], ...json(ErrorResponse) }]));
}

const onCase = { params: ComplaintParams };

/** What a caller must know of an action beyond its body's schema. */
const ACTION_NOTES: Partial<Record<Operation, string>> = {
  'POST /v1/complaints/:id/evidence': `Each link at most ${EVIDENCE_URL_MAX} characters, at most ${EVIDENCE_ITEMS_PER_REQUEST_MAX} items a request (400 naming the item). A case holds at most ${EVIDENCE_ITEMS_PER_CASE_MAX} pieces of evidence, those sent when it opened and by a submission that joined it included: more is refused with 422 (policy_refused; details name items).`,
};

function v1(operation: Operation, route: Omit<RouteConfig, 'method' | 'path'>): RouteConfig {
  const [method, path] = operation.split(' ') as [RouteConfig['method'], string];
  return {
    ...route,
    method: method.toLowerCase() as RouteConfig['method'],
    path: path.replace(/:(\w+)/g, '{$1}'),
    description: `${route.description ? `${route.description}\n\n` : ''}Roles: ${PERMISSIONS[operation].join(', ')}${ROLE_NOTES[operation] ? ` (${ROLE_NOTES[operation]})` : ''}.`,
    security: [{ bearer: [] }],
    responses: { ...route.responses, ...errors(400, 401, 403, 429, 503) },
  };
}

function buildDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

  registry.registerPath(
    v1('POST /v1/complaints', {
      summary: 'Open a case, or join the running case of the same complaint',
      description: `customer.memberTier and customer.phone are ignored: the tier and the phone messages go to come from the customer directory. priority is for staff, with priorityReason (400 without it); from a customer's own token both are ignored. Evidence as on the evidence route; a submission joining a case that would then hold more than ${EVIDENCE_ITEMS_PER_CASE_MAX} pieces is refused with 422 (details name evidence).`,
      request: { body: { required: true, ...json(OpenComplaintRequest) } },
      responses: {
        201: { description: 'a new case', ...json(CaseView) },
        200: { description: 'the same customer, order and problem type: the existing case, joined', ...json(CaseView) },
        ...errors(409, 422),
        404: {
          description:
            "the running case this submission would join is not the caller's (the case checks the caller again)",
          ...json(ErrorResponse),
        },
      },
    }),
  );
  registry.registerPath(
    v1('GET /v1/complaints', {
      summary: 'List cases from the projection, newest first, with cursor pagination',
      request: { query: ListComplaintsQuery },
      responses: { 200: { description: 'a page of cases', ...json(CaseListV1) } },
    }),
  );
  registry.registerPath(
    v1('GET /v1/complaints/:id', {
      summary: 'The case view: from the projection when it holds the latest change, else live from the workflow',
      request: onCase,
      responses: {
        200: {
          description:
            "the case; for staff, also the outside calls it is retrying and the parcel's signer and delivery, asked of its carrier when read",
          ...json(CaseResponse),
        },
        ...errors(404),
      },
    }),
  );
  registry.registerPath(
    v1('GET /v1/complaints/:id/timeline', {
      summary: 'The audit log: every action with who, when, what and the result',
      request: onCase,
      responses: {
        200: {
          description:
            'the timeline, oldest first. A customer or merchant reads the entries that concern them under party labels (complaint_received, agent_assigned, solution_proposed, refund_issued, case_closed, …), with no details and the platform\'s staff as "platform"',
          ...json(z.array(TimelineEntryV1)),
        },
        ...errors(404),
      },
    }),
  );
  registry.registerPath(
    v1('GET /v1/complaints/:id/choice', {
      summary:
        'The options the merchant offered for the customer to choose among (docs/domain.md §7.9), the window to choose and the choice',
      request: onCase,
      responses: {
        200: {
          description: 'choice is null while none was offered; open while the customer may still choose',
          ...json(ChoiceResponseV1),
        },
        ...errors(404),
      },
    }),
  );
  for (const action of ACTIONS) {
    registry.registerPath(
      v1(action.operation, {
        summary: action.summary,
        ...(ACTION_NOTES[action.operation] ? { description: ACTION_NOTES[action.operation] } : {}),
        request: { ...onCase, body: { required: true, ...json(action.body) } },
        responses: { 200: { description: 'the case after the action', ...json(CaseView) }, ...errors(404, 409, 422) },
      }),
    );
  }
  registry.registerPath(
    v1('GET /v1/reports/summary', {
      summary: 'Analytics over a period (docs/domain.md §11.1)',
      request: { query: ReportQuery },
      responses: { 200: { description: 'the report', ...json(SummaryReportV1) } },
    }),
  );
  registry.registerPath(
    v1('GET /v1/reports/satisfied-customers', {
      summary:
        "Customers tagged satisfied in a period: their latest rating of a case opened in it is at least the policy's satisfiedAtOrAbove (docs/domain.md §11.4)",
      request: { query: SatisfiedCustomersQuery },
      responses: { 200: { description: 'a page of customers, by customer id', ...json(SatisfiedCustomersV1) } },
    }),
  );
  registry.registerPath(
    v1('GET /v1/reviews/professional-complainants', {
      summary: 'Suspected professional complainants for legal review, with the evidence (docs/domain.md §11.5)',
      description:
        "Customers with at least the policy's professionalComplainants.minCases cases opened in the period, whose texts are at least minSimilarity alike across at least minMerchants merchants. A list for people to judge: nothing is decided or changed by it.",
      request: { query: ProfessionalComplainantsQuery },
      responses: { 200: { description: 'the suspects, most merchants first', ...json(ProfessionalComplainantsV1) } },
    }),
  );
  registry.registerPath(
    v1('GET /v1/policy', {
      summary: 'The SLA policy new cases open with',
      responses: { 200: { description: 'the policy', ...json(SlaPolicyV1) } },
    }),
  );
  const onVersion = { params: PolicyVersionParams };
  const noVersion = { 404: { description: 'no such policy version', ...json(ErrorResponse) } };
  registry.registerPath(
    v1('GET /v1/policy/versions', {
      summary: 'Every policy version, drafts and published, newest first, each with its changes and audit trail',
      responses: { 200: { description: 'the versions', ...json(PolicyVersionListV1) } },
    }),
  );
  registry.registerPath(
    v1('POST /v1/policy/versions', {
      summary:
        "Load a draft policy (e.g. next year's official holiday schedule); validated whole, nothing stored on refusal",
      description:
        'A refusal (400) names each field at fault under `policy.`: unknown keys, an unknown time zone, service hours ending before they start, no working weekday, a date listed twice or both holiday and make-up day.',
      request: { body: { required: true, ...json(PolicyDraftRequestV1) } },
      responses: {
        201: { description: 'the draft, with its changes against the active version', ...json(PolicyVersionV1) },
      },
    }),
  );
  registry.registerPath(
    v1('GET /v1/policy/versions/:v', {
      summary: 'One policy version',
      request: onVersion,
      responses: { 200: { description: 'the version', ...json(PolicyVersionV1) }, ...noVersion },
    }),
  );
  registry.registerPath(
    v1('POST /v1/policy/versions/:v/publish', {
      summary: 'Publish a draft: new cases open with it at once; running cases are offered its calendar',
      request: { ...onVersion, body: { required: true, ...json(PublishPolicyRequestV1) } },
      responses: {
        200: {
          description: 'the published version and the workflow offering its calendar to running cases',
          ...json(PublishedPolicyVersionV1),
        },
        ...noVersion,
        409: {
          description:
            'published already (already_published), or drafted from a version another publish has replaced since (stale_draft)',
          ...json(ErrorResponse),
        },
      },
    }),
  );
  registry.registerPath(
    v1('GET /v1/policy/versions/:v/calendar', {
      summary:
        "A year's holidays and make-up workdays under a version: official, or computed from the festival rules for a year without a loaded schedule",
      request: { ...onVersion, query: PolicyCalendarQuery },
      responses: { 200: { description: 'the year', ...json(PolicyCalendarV1) }, ...noVersion },
    }),
  );
  registry.registerPath(
    v1('POST /v1/policy/versions/:v/what-if', {
      summary:
        'What the version would have made of the deadlines of the cases opened in a past period, from their recorded stage times; no workflow runs',
      request: { ...onVersion, query: WhatIfQuery },
      responses: {
        200: { description: 'breaches recorded and under the version, per deadline kind', ...json(WhatIfReportV1) },
        ...noVersion,
      },
    }),
  );
  registry.registerPath(
    v1('GET /v1/ops/stuck-cases', {
      summary: 'Cases stuck on a failing workflow task that the case doctor could not mend; each waits for a person',
      responses: { 200: { description: 'the stuck cases, oldest first', ...json(StuckCasesV1) } },
    }),
  );
  registry.registerPath(
    v1('GET /v1/me/complaints', {
      summary:
        "The customer's own record (售后服务记录): their cases, newest first, with status, who handles each (a role), when it is expected done, and who signed for the parcel",
      description:
        "Always the token's own customer: no parameter names another. The parcel's signer and delivery come from its carrier's trail, asked when the record is read.",
      request: { query: CustomerRecordQuery },
      responses: { 200: { description: "a page of the caller's cases", ...json(CustomerRecordV1) } },
    }),
  );
  registry.registerPath(
    v1('POST /v1/qa/draws', {
      summary:
        "Draw a month's closed cases into the QA queue: 5 % rounded up, at least one of each agent who closed any; once per month",
      description:
        'The first draw of a month records its seed and sample (201); drawing it again answers the recorded draw (200). A case drawn in one month is not drawn again.',
      request: { body: { required: true, ...json(QaDrawRequestV1) } },
      responses: {
        201: { description: 'the month drawn now', ...json(QaDrawV1) },
        200: { description: 'the month was drawn before: the recorded draw', ...json(QaDrawV1) },
        409: { description: "the month has not ended in the platform's time zone", ...json(ErrorResponse) },
      },
    }),
  );
  registry.registerPath(
    v1('GET /v1/qa/reviews', {
      summary: 'The QA queue: drawn cases, newest month first, with their scores and the checklist',
      request: { query: QaReviewQuery },
      responses: { 200: { description: 'a page of the queue', ...json(QaReviewListV1) } },
    }),
  );
  registry.registerPath(
    v1('POST /v1/qa/reviews/:id/score', {
      summary:
        'Score a drawn case against the checklist (each item pass or fail, with a note); scoring again replaces the score',
      request: { ...onCase, body: { required: true, ...json(QaScoreRequestV1) } },
      responses: {
        200: { description: 'the review', ...json(QaReviewV1) },
        ...errors(404),
        409: { description: 'the case was not drawn for QA', ...json(ErrorResponse) },
      },
    }),
  );
  registry.registerPath(
    v1('GET /v1/reports/qa', {
      summary: 'QA scores per agent: cases drawn and scored, the pass rate, each checklist item',
      request: { query: QaScoresQuery },
      responses: { 200: { description: 'the scores', ...json(QaScoresV1) } },
    }),
  );
  registry.registerPath(
    v1('GET /v1/merchants/flags', {
      summary:
        'Merchants flagged for suspension review: a return rate over the policy window above its threshold, with the figures; newest first',
      description:
        "The supplier watch measures every merchant once a day on the order service's figures (orders paid and orders returned in the window) and raises a flag when returns / orders is above `supplierTiering.returnRateAbove` (15 % over 30 days by default); merchant operations are told at once.",
      request: { query: SupplierFlagQuery },
      responses: { 200: { description: 'a page of flags', ...json(SupplierFlagListV1) } },
    }),
  );
  registry.registerPath(
    v1('POST /v1/merchants/flags/:flagId/decision', {
      summary:
        "The review's decision on a flag: suspend the merchant or keep it, with a reason, recorded in the flag's audit trail",
      request: { params: FlagParams, body: { required: true, ...json(FlagDecisionRequestV1) } },
      responses: {
        200: { description: 'the decided flag', ...json(SupplierFlagV1) },
        ...errors(404),
        409: { description: 'the flag was decided before (already_decided)', ...json(ErrorResponse) },
      },
    }),
  );
  registry.registerPath(
    v1('POST /v1/customers/:customerId/dedicated-agent', {
      summary:
        "Record a customer's dedicated agent by hand, with a reason: their next complaints are assigned to that agent as they open",
      description:
        "The record a dedicated_agent plan writes (docs/domain.md §7.1), for when that write failed (the case's owner is alerted, naming this route) or the customer moves to another agent. The newest grant wins; every grant stays in `events` with who recorded it and why.",
      request: { params: CustomerParams, body: { required: true, ...json(DedicatedAgentRequestV1) } },
      responses: { 200: { description: "the customer's dedicated agent and its trail", ...json(DedicatedAgentV1) } },
    }),
  );
  registry.registerPath(
    v1('POST /v1/fixes', {
      summary:
        "Record a root-cause fix against the cases it caused; each case's customer is told what changed, with the policy's goodwill coupon",
      description:
        "The cases are named by id, or chosen by a selector (a merchant, product or carrier, optionally a sub-type, cases opened in a period), once, when the fix is recorded; open and closed cases alike. A workflow per fix then texts each customer (best effort: an undelivered notice alerts the person on the case) and gives the coupon of the policy's `trustNotice` (never beyond what the order paid less what the case paid out; once per case and fix).",
      request: { body: { required: true, ...json(RecordFixRequestV1) } },
      responses: {
        201: { description: 'the fix, its customers pending', ...json(FixV1) },
        422: {
          description:
            'a case id that does not exist (unknown_cases), a selector naming no case (no_cases) or too many (too_many_cases)',
          ...json(ErrorResponse),
        },
      },
    }),
  );
  registry.registerPath(
    v1('GET /v1/fixes', {
      summary: 'Recorded root-cause fixes, newest first, each with which customers were told',
      request: { query: FixQuery },
      responses: { 200: { description: 'a page of fixes', ...json(FixListV1) } },
    }),
  );
  registry.registerPath(
    v1('GET /v1/fixes/:fixId', {
      summary: 'One root-cause fix, with which customers were told, which coupon each got, and who was alerted',
      request: { params: FixParams },
      responses: { 200: { description: 'the fix', ...json(FixV1) }, ...errors(404) },
    }),
  );
  registry.registerComponent('securitySchemes', 'carrierSignature', {
    type: 'apiKey',
    in: 'header',
    name: SIGNATURE_HEADER,
    description: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the carrier's own secret>, beside ${CARRIER_HEADER}: <carrier>; a signature more than ${SIGNATURE_TOLERANCE_S / 60} minutes from now is refused`,
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/carrier-events',
    summary: 'A carrier reports what happened to a parcel; the event reaches every open case on that waybill, once',
    description: `Callers: carriers, each signing the exact body with its own secret (not a bearer token). Bad or missing signatures count against the sender's address (429 once over the limit, docs/api-limits.md).`,
    security: [{ carrierSignature: [] }],
    request: {
      headers: z.object({
        [CARRIER_HEADER]: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,32}$/)
          .describe('the carrier, as the API knows its secret'),
      }),
      body: { required: true, ...json(CarrierEventV1) },
    },
    responses: {
      202: { description: 'received; how many open cases it reached (never which)', ...json(CarrierEventAcceptedV1) },
      ...errors(400, 401, 429, 503),
      409: { description: 'this carrier sent this event id before (replayed)', ...json(ErrorResponse) },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    responses: { 200: { description: 'the process is up', ...json(Health) } },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Temporal and MongoDB answer',
    responses: {
      200: { description: 'ready', ...json(Health) },
      503: { description: 'a dependency is unreachable', ...json(Health) },
    },
  });

  return stateCrossFieldRules(
    new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'Complaint handling API',
        version: '1',
        description:
          'Every complaint is one long-running Temporal workflow. Money in integer fen; times ISO-8601 with offset.',
      },
    }),
  );
}

type Document = ReturnType<OpenApiGeneratorV31['generateDocument']>;
type Schema = Record<string, unknown>;

/**
 * What the zod schemas enforce beyond one field (their refinements) and what zod-to-openapi cannot
 * see (coercions of query strings), stated in the document in JSON Schema 2020-12 (`if`/`then`,
 * `dependentRequired`), so a client generated from it never sends what the API refuses as malformed.
 * Where JSON Schema has no word for a rule, an `x-` keyword says it and the description repeats it.
 * Kept beside the refinements they state: api/schemas.ts, shared/commands.ts.
 */
function stateCrossFieldRules(doc: Document): Document {
  const body = (path: string) =>
    (doc.paths?.[path]?.post?.requestBody as { content: Record<string, { schema: Schema }> }).content[
      'application/json'
    ].schema;
  const param = (path: string, name: string) => {
    const found = (
      doc.paths?.[path]?.get?.parameters as unknown as Array<{ name: string; schema: Schema; description?: string }>
    ).find((p) => p.name === name);
    if (!found) throw new Error(`no parameter ${name} on ${path}`);
    return found;
  };
  const ifThen = (when: Schema, then: Schema) => ({ if: when, then });

  // A category given must own the sub-type: OpenComplaintRequest, and the classification an agent corrects.
  const categoryOwnsSubType = Object.entries(SUB_TYPES).map(([category, subTypes]) =>
    ifThen(
      { required: ['category'], properties: { category: { const: category } } },
      { properties: { subType: { enum: subTypes } } },
    ),
  );
  // priorityReason goes with a priority from staff; from a customer both are ignored (docs/domain.md §2.3), so no dependentRequired.
  Object.assign(body('/v1/complaints'), { allOf: categoryOwnsSubType });
  Object.assign(body('/v1/complaints/{id}/classification'), { allOf: categoryOwnsSubType });
  // ProposeResolutionV1's refinements.
  Object.assign(body('/v1/complaints/{id}/resolution'), {
    allOf: [
      ifThen(
        { properties: { type: { enum: ['refund', 'partial_refund', 'compensation'] } } },
        { required: ['amountFen'] },
      ),
      // The amount a proposal names is the amount it moves: a coupon's value is couponFen, the other types pay no money.
      ifThen(
        {
          properties: {
            type: {
              enum: ResolutionType.options.filter((t) => !paysAmount(t)),
            },
          },
        },
        { not: { required: ['amountFen'] } },
      ),
      ifThen({ properties: { type: { const: 'coupon' } } }, { required: ['couponFen'] }),
      ifThen(
        { required: ['returnFirst'], properties: { returnFirst: { const: true } } },
        { properties: { type: { enum: ['refund', 'partial_refund'] } } },
      ),
      ...Object.entries(ONE_TYPE_FIELDS).flatMap(([field, { type, required }]) => [
        ...(required ? [ifThen({ properties: { type: { const: type } } }, { required: [field] })] : []),
        ifThen({ required: [field] }, { properties: { type: { const: type } } }),
      ]),
    ],
    description:
      "amountFen is required for refund, partial_refund and compensation, and refused for every other type (a coupon's value is couponFen); couponFen is required for coupon and may go with any type as a goodwill coupon; returnFirst only with refund or partial_refund; apology (the words sent to the customer) only with apology; warrantyMonths (1–24, named to the merchant and the customer) is required for extended_warranty and refused for every other type; dedicatedAgentId (the customer's dedicated agent, else the case's owner) only with dedicated_agent; testingLab (the independent lab the parties agreed on, named to the merchant and the customer) is required for third_party_testing and refused for every other type",
  });
  // Query strings: what each coerces from.
  // docs/domain.md §8.6: a lab's report is opened by staff in the console, so only an https: link (a format alone says any scheme).
  const report = (body('/v1/complaints/{id}/testing-result').properties as Record<string, Schema>).reportUrl;
  Object.assign(report, { pattern: '^https://', description: "an https: link to the lab's report" });
  Object.assign(param('/v1/complaints', 'escalationLevel'), {
    schema: { type: 'string', enum: ['0', '1', '2'], description: '0 agent, 1 supervisor, 2 operations manager' },
  });
  Object.assign(param('/v1/complaints', 'breached').schema, { enum: ['true', 'false'] });
  for (const path of [
    '/v1/complaints',
    '/v1/me/complaints',
    '/v1/qa/reviews',
    '/v1/reports/satisfied-customers',
    '/v1/merchants/flags',
    '/v1/fixes',
  ]) {
    Object.assign(param(path, 'cursor').schema, {
      'x-opaque': true,
      description: 'nextCursor of the previous page, as handed out; any other value is refused',
    });
  }
  for (const path of [
    '/v1/complaints',
    '/v1/reports/summary',
    '/v1/reports/satisfied-customers',
    '/v1/reviews/professional-complainants',
  ]) {
    const to = param(path, 'to');
    const said = typeof to.schema.description === 'string' ? to.schema.description : 'ISO-8601 time with offset';
    to.description = `${said}; after from`;
    Object.assign(to.schema, { 'x-after': 'from', description: to.description });
  }
  return doc;
}

let document: ReturnType<typeof buildDocument> | undefined;

export function openApiDocument(): ReturnType<typeof buildDocument> {
  document ??= buildDocument();
  return document;
}
