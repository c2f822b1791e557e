import { temporal } from '@temporalio/proto';
import { ACTIONS } from '../../api/actions';
import { type Claims, signToken } from '../../api/auth';
import { ErrorBody } from '../../api/errors';
import type { Operation } from '../../api/permissions';
import { CaseListV1 } from '../../api/schemas';
import type {
  AddEvidenceV1,
  ApprovalDecisionV1,
  AssignV1,
  CustomerResponseV1,
  ExtendInvestigationV1,
  FirstResponseV1,
  InvestigationBriefV1,
  MerchantReplyV1,
  ProposeResolutionV1,
  RepairCompletedV1,
  TestingResultV1,
  ReturnReceivedV1,
  ReturnShipmentV1,
  SatisfactionV1,
  ReclassifyV1,
  ChangePriorityV1,
  CancelStepV1,
  MarkUpsetV1,
  PhoneCallbackV1,
  CustomerChoiceV1,
  AddFindingV1,
} from '../../shared/commands';
import { departmentOf } from '../../shared/departments';
import { Role } from '../../shared/domain';
import { ACCESS, type Relation } from '../routeRoles';
import { AGENT, type BenchCase, apiDesk, benchCase, newStats, openRequest, putOrder } from '../bench/lifecycle';
import type { World } from '../stack/world';

/**
 * The route × role × own/other table of the HTTP contract (test/fixtures/access.json, transcribed by hand) tried
 * against the running API with real cases: every route, every role, on the caller's own case and on
 * another party's, each with a VALID body, so a
 * missing check would act instead of being stopped by validation. A role the contract leaves out must
 * get 403 and a customer or merchant on someone else's case 404, without the case changing (a hole
 * is such a request answered 2xx or acting); an allowed caller on its own case must get past the
 * checks (anything but 401/403/404/5xx). A merchant's list holds its own cases only, whatever it asks.
 */

/** A valid body per action, checked against its schema before use, so a run never mistakes a 400 for a denial. */
export const ACTION_BODIES: Partial<Record<Operation, object>> = {
  'POST /v1/complaints/:id/assign': { agentId: AGENT.sub } satisfies AssignV1,
  'POST /v1/complaints/:id/first-response': {
    message: 'We are checking the kettle with the merchant.',
    requestEvidence: false,
  } satisfies FirstResponseV1,
  'POST /v1/complaints/:id/evidence': {
    items: [{ kind: 'photo', url: 'https://img.example.com/leak.jpg', note: 'the puddle' }],
  } satisfies AddEvidenceV1,
  'POST /v1/complaints/:id/merchant-reply': {
    message: 'We will take the kettle back.',
    accepts: true,
  } satisfies MerchantReplyV1,
  'POST /v1/complaints/:id/investigation/extend': {
    reason: 'Waiting for the lab report',
  } satisfies ExtendInvestigationV1,
  'POST /v1/complaints/:id/investigation/brief': {
    responsibility: 'merchant',
    findings: 'Defect confirmed',
  } satisfies InvestigationBriefV1,
  // Under the approval threshold, so an agent's proposal pays at once: the route a hole would cost money on.
  'POST /v1/complaints/:id/resolution': {
    type: 'refund',
    amountFen: 5_000,
    note: 'Partial refund',
  } satisfies ProposeResolutionV1,
  'POST /v1/complaints/:id/approval': { decision: 'approve', reason: 'Within policy' } satisfies ApprovalDecisionV1,
  'POST /v1/complaints/:id/return-shipment': { carrier: 'SF', waybillNo: 'SF1234567890' } satisfies ReturnShipmentV1,
  'POST /v1/complaints/:id/return-received': { inspection: 'ok', note: 'Leak confirmed' } satisfies ReturnReceivedV1,
  'POST /v1/complaints/:id/repair-completed': { note: 'Seal replaced' } satisfies RepairCompletedV1,
  // No test waits on the bench's cases: an allowed caller is answered 409, and nothing moves.
  'POST /v1/complaints/:id/testing-result': {
    defectConfirmed: false,
    reportUrl: 'https://lab.example.com/reports/118.pdf',
    note: 'Within the standard',
  } satisfies TestingResultV1,
  'POST /v1/complaints/:id/customer-response': { accept: true } satisfies CustomerResponseV1,
  'POST /v1/complaints/:id/satisfaction': { rating: 5, comment: 'Quick' } satisfies SatisfactionV1,
  'POST /v1/complaints/:id/classification': {
    category: 'product',
    subType: 'not_as_described',
    reason: 'The photos show a colour mismatch',
  } satisfies ReclassifyV1,
  'POST /v1/complaints/:id/priority': {
    priority: 'high',
    reason: 'The customer mentions a burn',
  } satisfies ChangePriorityV1,
  'POST /v1/complaints/:id/upset': {
    reason: 'The customer is shouting and threatens to cancel every order',
  } satisfies MarkUpsetV1,
  'POST /v1/complaints/:id/phone-callback': {
    reached: true,
    rating: 4,
    notes: 'Reached on the second try; happy with the refund',
  } satisfies PhoneCallbackV1,
  // Nothing was offered on the bench's cases: the case's own customer is answered 409, and nothing moves.
  'POST /v1/complaints/:id/choice': { option: 'return' } satisfies CustomerChoiceV1,
  'POST /v1/complaints/:id/findings': { text: 'The seal batch 2026-11 fails the pressure test' } satisfies AddFindingV1,
  'POST /v1/complaints/:id/steps/cancel': {
    step: 'repair',
    reason: 'The merchant no longer answers',
  } satisfies CancelStepV1,
  // A draft of the default policy; publishing version 1, published already, is answered 409.
  'POST /v1/policy/versions': { policy: {}, reason: 'The spec defaults again' },
  'POST /v1/policy/versions/:v/publish': { reason: 'Version 1 again' },
  // A month long ended; the case scored was never drawn, so a supervisor is answered 409.
  'POST /v1/qa/draws': { month: '2026-01' },
  // No flag is raised in these runs: an allowed caller is answered 404 for the flag (test/api/permissions.test.ts decides a real one).
  'POST /v1/merchants/flags/:flagId/decision': {
    decision: 'keep',
    reason: 'The returns were one faulty batch, recalled',
  },
  // Recorded for a customer of no case: an allowed caller is answered 200, and no case changes.
  'POST /v1/customers/:customerId/dedicated-agent': {
    agentId: AGENT.sub,
    reason: 'The plan could not record it; the supervisor records it by hand',
  },
  // A selector naming no case: an allowed caller is answered 422 no_cases, and no customer is told.
  'POST /v1/fixes': {
    kind: 'merchant_process',
    whatChanged: '商家已更换包装流程',
    selector: { merchantId: 'm-no-cases', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' },
  },
  'POST /v1/qa/reviews/:id/score': {
    checks: {
      first_response_timely: { pass: true },
      wording: { pass: true },
      solution_fit: { pass: false, note: 'A coupon would have done' },
      record_complete: { pass: true },
      follow_up: { pass: true },
    },
  },
};

// Checked once at load: a body the schema refuses would turn every allowed case into a 400.
for (const { operation, body } of ACTIONS) {
  if (!body.safeParse(ACTION_BODIES[operation]).success)
    throw new Error(`ACTION_BODIES has no valid body for ${operation}`);
}

/** Where the world's API listens; these checks need a world started with `{ api: true }`. */
export function apiUrl(world: World): string {
  if (!world.apiUrl) throw new Error('the API checks need a world started with { api: true }');
  return world.apiUrl;
}

/** Opens real cases through the API (the order first, at the sandbox), as their customers. */
export async function openCases(world: World, cases: BenchCase[]): Promise<void> {
  const desk = apiDesk(apiUrl(world), world.env.JWT_SECRET);
  for (const c of cases) {
    await putOrder(world.sandboxUrl, c);
    await desk.open(c, newStats());
  }
}

export interface Answer {
  status: number;
  json: unknown;
}

/** One request to the API as `claims`; the answer is read whatever its status. */
export async function call(world: World, claims: Claims, method: string, path: string, body?: object): Promise<Answer> {
  const res = await fetch(`${apiUrl(world)}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await signToken(world.env.JWT_SECRET, claims)}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, json: text };
  }
}

const SUPERVISOR: Claims = { sub: 'sup-1', role: 'supervisor' };

/** What may not move while a request is refused: the view and timeline the API shows, and the workflow's history. */
export interface CaseSnapshot {
  historyLength: number;
  timeline: number;
  view: Record<string, unknown>;
}

export async function snapshotCase(world: World, id: string): Promise<CaseSnapshot> {
  const path = `/v1/complaints/${encodeURIComponent(id)}`;
  const [view, timeline, described] = await Promise.all([
    call(world, SUPERVISOR, 'GET', path),
    call(world, SUPERVISOR, 'GET', `${path}/timeline`),
    world.client.workflow.getHandle(id).describe(),
  ]);
  if (view.status !== 200 || timeline.status !== 200)
    throw new Error(`${id}: the API answered ${view.status}/${timeline.status} to a supervisor's read`);
  return {
    historyLength: described.historyLength,
    timeline: (timeline.json as unknown[]).length,
    view: view.json as Record<string, unknown>,
  };
}

/**
 * A view without what the API computes at the moment it answers: each running deadline's share of
 * its window used grows with the clock, whatever the requests did (api/views.ts, withWindowShares).
 */
function storedFacts(view: Record<string, unknown>): Record<string, unknown> {
  const deadlines = view.deadlines as Array<Record<string, unknown>> | undefined;
  return deadlines ? { ...view, deadlines: deadlines.map(({ shareUsed: _, ...d }) => d) } : view;
}

/** What differs between two snapshots of a case, for a violation's text; empty when nothing moved. */
export function changes(before: CaseSnapshot, after: CaseSnapshot): string {
  const moved: string[] = [];
  if (before.historyLength !== after.historyLength)
    moved.push(`history ${before.historyLength} -> ${after.historyLength} events`);
  if (before.timeline !== after.timeline) moved.push(`timeline ${before.timeline} -> ${after.timeline} entries`);
  const [b, a] = [storedFacts(before.view), storedFacts(after.view)];
  const fields = Object.keys({ ...b, ...a }).filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  if (fields.length) moved.push(`view fields ${fields.join(', ')}`);
  return moved.join('; ');
}

/**
 * Waits until each case is quiet: no activity pending and no new history event for `quietMs`, so
 * a snapshot taken next sees only what a request does. Answers the cases still busy at `maxMs`.
 */
export async function settle(world: World, ids: string[], quietMs = 2_000, maxMs = 60_000): Promise<string[]> {
  const end = Date.now() + maxMs;
  const busy = new Set(ids);
  const last = new Map<string, { length: number; since: number }>();
  while (busy.size && Date.now() < end) {
    for (const id of busy) {
      const d = await world.client.workflow.getHandle(id).describe();
      const seen = last.get(id);
      const pending = (d.raw.pendingActivities?.length ?? 0) > 0;
      if (!seen || seen.length !== d.historyLength || pending)
        last.set(id, { length: d.historyLength, since: Date.now() });
      else if (Date.now() - seen.since >= quietMs) busy.delete(id);
    }
    if (busy.size) await new Promise((r) => setTimeout(r, 250));
  }
  return [...busy];
}

interface Combination {
  operation: Operation;
  role: Role;
  relation: Relation;
  claims: Claims;
  method: string;
  path: string;
  body?: object;
  /** The case the request could change. */
  target: string;
  /** 403 or 404 with these codes when the fixture refuses; otherwise the caller is let through. */
  denied?: { status: 403 | 404 | 409; codes: string[] };
  /** A list answer may hold only this merchant's cases, and never this case. */
  listOnly?: { merchantId: string; never: string };
}

export async function authorizationMatrix(
  world: World,
): Promise<{ row: Record<string, unknown>; violations: string[] }> {
  const t0 = Date.now();
  const run = `az${Date.now().toString(36)}`;
  // Each party its own merchant: "own" then means exactly this case, not any bench case of a shared merchant.
  const [mine, theirs] = [0, 1].map((n) => {
    const c = benchCase(run, n);
    return { ...c, order: { ...c.order, merchantId: `m-${run}-${n}` } };
  });
  await openCases(world, [mine, theirs]);
  const violations: string[] = [];
  // A list without the merchant's own case would show a leak check nothing.
  if (!(await projected(world, mine))) violations.push(`${mine.id} did not reach the projection within 30 s`);

  const combos = combinations(mine, theirs);
  const tally = { holes: 0, wrongRefusals: 0 };
  const allowedAnswers: Record<string, number> = {};
  // Route by route in the table's order, the allowed callers moving the cases on (assigned, answered,
  // briefed, refunded, accepted, rated), so each route's denied callers meet a case where their request would act.
  for (const operation of Object.keys(ACCESS) as Operation[]) {
    const here = combos.filter((c) => c.operation === operation);
    await settle(world, [mine.id, theirs.id], 1_000);
    for (const c of here.filter((x) => x.denied)) await denied(world, c, tally, violations);
    for (const c of here.filter((x) => !x.denied)) {
      const res = await call(world, c.claims, c.method, c.path, c.body);
      allowedAnswers[res.status] = (allowedAnswers[res.status] ?? 0) + 1;
      const flagUnknown =
        (c.path.includes(NO_FLAG) || c.path.includes(NO_FIX)) && res.status === 404 && errorCode(res) === 'not_found';
      if (res.status >= 500 || ([401, 403, 404].includes(res.status) && !flagUnknown))
        violations.push(`${label(c)}: allowed, but got ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
      const leak = c.listOnly && leaked(res, c.listOnly);
      if (leak) {
        tally.holes++;
        violations.push(`HOLE: ${label(c)} listed ${leak}`);
      }
    }
  }
  const deniedCount = combos.filter((c) => c.denied).length;
  const row = {
    combinations: combos.length,
    allowed: combos.length - deniedCount,
    denied: deniedCount,
    holes: tally.holes,
    wrongRefusals: tally.wrongRefusals,
    allowedAnswers,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  return { row, violations };
}

const label = (c: Combination) => `${c.method} ${c.path} as ${c.role} (${c.relation})`;

/** History events only a caller makes: an accepted update (every action, and intake's submit) or a signal. */
const CALLER_EVENTS = new Set([
  temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
]);

async function callerEventsAfter(world: World, id: string, historyLength: number): Promise<number> {
  const { events } = await world.client.workflow.getHandle(id).fetchHistory();
  return (events ?? []).filter((e) => Number(e.eventId) > historyLength && CALLER_EVENTS.has(e.eventType!)).length;
}

/**
 * A denied request between two snapshots of its case. A case also moves on its own (a timer fires,
 * an activity lands), so a change counts as the request's when the history gained an update or a
 * signal; a change without one is the case's own, and the request is sent again once it is quiet.
 */
async function denied(
  world: World,
  c: Combination,
  tally: { holes: number; wrongRefusals: number },
  violations: string[],
): Promise<void> {
  const want = c.denied!;
  for (let attempt = 1; ; attempt++) {
    const before = await snapshotCase(world, c.target);
    const res = await call(world, c.claims, c.method, c.path, c.body);
    const moved = changes(before, await snapshotCase(world, c.target));
    const acted = moved ? await callerEventsAfter(world, c.target, before.historyLength) : 0;
    if ((res.status >= 200 && res.status < 300) || acted) {
      tally.holes++;
      violations.push(`HOLE: ${label(c)} answered ${res.status}${acted ? ` and changed the case: ${moved}` : ''}`);
      return;
    }
    if (moved && attempt < 3) {
      await settle(world, [c.target], 1_000);
      continue;
    }
    if (moved) violations.push(`${label(c)}: not checked, the case kept moving on its own: ${moved}`);
    else if (res.status !== want.status || !want.codes.includes(errorCode(res) ?? '')) {
      tally.wrongRefusals++;
      violations.push(
        `${label(c)}: want ${want.status} ${want.codes.join('|')}, got ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`,
      );
    }
    return;
  }
}

function errorCode(res: Answer): string | undefined {
  return ErrorBody.safeParse(res.json).data?.error.code;
}

/** Cases of another merchant in a list answer, or the named case; null when none. */
function leaked(res: Answer, only: { merchantId: string; never: string }): string | null {
  const page = CaseListV1.safeParse(res.json);
  if (!page.success) return null;
  const foreign = page.data.items.filter((v) => v.order.merchantId !== only.merchantId || v.complaintId === only.never);
  return foreign.length ? foreign.map((v) => `${v.complaintId} (merchant ${v.order.merchantId})`).join(', ') : null;
}

/** Whether the case reached the projection the list reads (written just after it opens) within 30 s. */
async function projected(world: World, c: BenchCase): Promise<boolean> {
  const end = Date.now() + 30_000;
  for (;;) {
    const res = await call(world, callerFor('merchant', c), 'GET', '/v1/complaints?limit=100');
    if (CaseListV1.safeParse(res.json).data?.items.some((v) => v.complaintId === c.id)) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const STAFF: Record<Exclude<Role, 'customer' | 'merchant'>, Claims> = {
  agent: AGENT,
  supervisor: SUPERVISOR,
  ops_manager: { sub: 'ops-1', role: 'ops_manager' },
  compliance: { sub: 'cmp-1', role: 'compliance' },
  system: { sub: 'intake-bot', role: 'system' },
};

/** The caller of a role: a customer or merchant is the party of `c`; staff are the same people whatever the case. */
function callerFor(role: Role, c: BenchCase): Claims {
  if (role === 'customer') return { sub: c.customer.sub, role, customerId: c.order.customerId };
  if (role === 'merchant') return { sub: `${c.order.merchantId}-staff`, role, merchantId: c.order.merchantId };
  return STAFF[role];
}

const OTHER_AGENT: Claims = { sub: 'agent-8', role: 'agent' };
/** The department the bench's quality-defect cases are routed to (the bench policy keeps the default departments), and another one. */
const [BENCH_DEPARTMENT, OTHER_DEPARTMENT] = (['product', 'logistics'] as const).map((category) => {
  const department = departmentOf(category, undefined);
  if (!department) throw new Error(`the default policy routes ${category} cases to no department`);
  return department;
});
/** A supplier flag id no run raises: the decision route's subject, answered 404 once the role is let through. */
const NO_FLAG = 'm-none.2026-01-01';
/** A fix id no run records: the fix's route answers 404 once the role is let through. */
const NO_FIX = 'fix-20260101-00000000';
/** A customer of no bench case, whose dedicated agent an allowed caller records by hand (nothing else reads it). */
const MANUAL_GRANT_CUSTOMER = 'c-manual-grant';

/** The refusal the fixture names, with the error codes that say it. */
function refusal(status: 403 | 404): NonNullable<Combination['denied']> {
  return status === 404 ? { status, codes: ['not_found'] } : { status, codes: ['forbidden', 'not_owner'] };
}

/**
 * Every route × role × {own, other}, as test/fixtures/access.json means them. Customers and merchants
 * act as the first party on its case ("own") or as the second party on the first party's case
 * ("other"); an agent as the one who owns the first case ("own", AGENT takes it) or as another agent
 * ("other"); other staff own no case, so "own" is the first case and "other" the second. Routes
 * without a case: intake opens the first party's complaint (the second party may not), the list is
 * asked for the caller's own merchant or the other one, and the report and the policy have nothing to own.
 */
function combinations(mine: BenchCase, theirs: BenchCase): Combination[] {
  const year = new Date().getUTCFullYear();
  const out: Combination[] = [];
  for (const operation of Object.keys(ACCESS) as Operation[]) {
    const [method, route] = operation.split(' ');
    for (const role of Role.options) {
      for (const relation of ['own', 'other'] as Relation[]) {
        const expected = ACCESS[operation][role][relation];
        const isParty = role === 'customer' || role === 'merchant';
        const strangers = isParty && relation === 'other';
        let claims =
          role === 'agent' && relation === 'other' ? OTHER_AGENT : callerFor(role, strangers ? theirs : mine);
        const subject = relation === 'own' || isParty || role === 'agent' ? mine : theirs;
        let path = route
          .replace(':id', encodeURIComponent(subject.id))
          .replace(':flagId', NO_FLAG)
          .replace(':fixId', NO_FIX)
          .replace(':customerId', MANUAL_GRANT_CUSTOMER);
        let body = ACTION_BODIES[operation];
        let denied = expected === 'allowed' ? undefined : refusal(expected);
        let listOnly: Combination['listOnly'];
        if (operation === 'POST /v1/complaints') {
          body = openRequest(subject);
        } else if (operation === 'GET /v1/complaints') {
          const [own, other] = strangers ? [theirs, mine] : [mine, theirs];
          path = `${route}?merchantId=${encodeURIComponent((relation === 'own' ? own : other).order.merchantId)}&limit=100`;
          // Whatever merchant a merchant asks for, it sees its own cases only.
          if (role === 'merchant') listOnly = { merchantId: own.order.merchantId, never: other.id };
        } else if (operation === 'GET /v1/reports/summary' || operation === 'GET /v1/reports/satisfied-customers') {
          path = `${route}?from=${year - 1}-01-01T00:00:00Z&to=${year + 1}-01-01T00:00:00Z`;
        } else if (route.includes(':v')) {
          // Policy versions: version 1, which the API seeds at start.
          path = `${route.replace(':v', '1')}${route.endsWith('/calendar') ? `?year=${year}` : ''}`;
        } else if (operation === 'POST /v1/complaints/:id/findings' && !isParty) {
          // The fixture's own and other are the case's department's staff and another department's (a token's claim).
          claims = { ...claims, department: relation === 'own' ? BENCH_DEPARTMENT : OTHER_DEPARTMENT };
        } else if (operation === 'POST /v1/complaints/:id/assign' && role === 'agent') {
          body = { agentId: claims.sub };
        } else if (
          operation === 'POST /v1/complaints/:id/approval' &&
          denied &&
          (role === 'ops_manager' || role === 'compliance')
        ) {
          // The route lets these roles through and the case decides (compliance cases, an escalated approval).
          // The fixture's rows stand for a case awaiting approval; the bench's refund needs none, so the
          // stage check answers first: 409, and still nothing changes.
          denied = { status: 409, codes: ['wrong_stage'] };
        }
        out.push({ operation, role, relation, claims, method, path, body, target: subject.id, denied, listOnly });
      }
    }
  }
  return out;
}
