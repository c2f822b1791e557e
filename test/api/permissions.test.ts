import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import request from 'supertest';
import { ACTIONS } from '../../api/actions';
import { PERMISSIONS, type Operation } from '../../api/permissions';
import { ACTION_ROLES, type CaseAction } from '../../shared/access';
import { Role } from '../../shared/domain';
import { createApp } from '../../api/app';
import {
  ACCESS,
  APPROVAL_ON_COMPLIANCE_CASE,
  UNAUTHENTICATED,
  type Expected,
  type Relation,
} from '../../dev/routeRoles';
import { servedRoutes } from './servedRoutes';
// One valid body per action, with the reliability run's route × role matrix: a body the schema refuses would hide a hole behind a 400.
import { ACTION_BODIES } from '../../dev/reliability/authorization';
import {
  useApiHarness,
  callers,
  errorOf,
  openBody,
  pageOf,
  party,
  putOrder,
  silent,
  viewOf,
  type ApiHarness,
} from './support';

/**
 * The running API against test/fixtures/access.json, the route × role × own/other table transcribed
 * by hand from the HTTP contract: every row is one request with a valid body, on real cases standing where the
 * route's action fits (an approval pending, an investigation under way), so a missing check would act.
 * Expectations come from the fixture, never from api/permissions.ts.
 */

const h = useApiHarness({ worker: true });

type Claims = Parameters<ApiHarness['bearer']>[0];
type Party = ReturnType<typeof party>;

const mine = party();
const theirs = party();
const compliance = party();
const AGENT: Claims = { sub: 'agent-7', role: 'agent' };
const OTHER_AGENT: Claims = { sub: 'agent-8', role: 'agent' };
const ids = { mine: '', compliance: '' };
/** A flag the supplier watch would have raised, put in the store: the decision route's subject. */
const FLAG_ID = 'm-flagged.2026-11-30';
/** A fix recorded before the run, so a GET of it let through is answered 200. */
const FIX_ID = 'fix-20261130-0000abcd';

async function send(claims: Claims, method: string, path: string, body?: object) {
  const auth = await h.bearer(claims);
  return method === 'GET'
    ? request(h.app).get(path).set('authorization', auth)
    : request(h.app)
        .post(path)
        .set('authorization', auth)
        .send(body ?? {});
}

async function act(claims: Claims, id: string, action: string, body: object) {
  const res = await send(claims, 'POST', `/v1/complaints/${id}/${action}`, body);
  if (res.status !== 200) throw new Error(`${action} on ${id}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Opens a case as its customer and takes it to the point where its approval is pending. */
async function awaitingApproval(p: Party, subType: string, resolution: object): Promise<string> {
  const opened = await send(
    callers(p.customerId, p.merchantId).customer,
    'POST',
    '/v1/complaints',
    openBody(p, { subType }),
  );
  if (opened.status !== 201) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
  const id = viewOf(opened).complaintId;
  await act(AGENT, id, 'assign', { agentId: AGENT.sub });
  await act(AGENT, id, 'first-response', { message: 'We are checking the kettle with the merchant.' });
  await act(AGENT, id, 'investigation/brief', { responsibility: 'merchant', findings: 'Defect confirmed' });
  await act(AGENT, id, 'resolution', resolution);
  return id;
}

beforeAll(async () => {
  putOrder(h.sandbox, mine, 100_000);
  putOrder(h.sandbox, theirs);
  putOrder(h.sandbox, compliance);
  // Mine: owned by agent-7, a refund above the threshold waiting for a supervisor.
  ids.mine = await awaitingApproval(mine, 'quality_defect', {
    type: 'refund',
    amountFen: 60_000,
    note: 'Refund, subject to verification',
  });
  // Theirs: another customer's case at another merchant, which mine's merchant must never list.
  const opened = await send(
    callers(theirs.customerId, theirs.merchantId).customer,
    'POST',
    '/v1/complaints',
    openBody(theirs),
  );
  if (opened.status !== 201) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
  // A compliance case: any proposal waits for the compliance team.
  ids.compliance = await awaitingApproval(compliance, 'counterfeit', {
    type: 'refund',
    amountFen: 5_000,
    note: 'Refund, subject to verification',
  });
  const raisedAt = new Date('2026-11-30T01:00:00Z');
  await h.db.supplierFlags.create({
    _id: FLAG_ID,
    merchantId: 'm-flagged',
    raisedAt,
    from: new Date(raisedAt.getTime() - 30 * 86_400_000),
    to: raisedAt,
    orders: 20,
    returns: 4,
    rate: 0.2,
    threshold: 0.15,
    policyVersion: 1,
    status: 'open',
    events: [{ action: 'raised', at: raisedAt, by: { sub: 'supplier-watch', role: 'system' }, reason: null }],
  });
  await h.db.trustFixes.create({
    _id: FIX_ID,
    kind: 'product_batch',
    whatChanged: '该批次水壶已全部召回并更换密封圈',
    selector: null,
    recordedBy: { sub: 'sup-1', role: 'supervisor' },
    recordedAt: raisedAt,
    policyVersion: 1,
    terms: { couponFen: 1_000, validDays: 7, forResponsibility: ['merchant'] },
    status: 'done',
    customers: [],
  });
}, 120_000);

interface Row {
  operation: Operation;
  role: Role;
  relation: Relation;
  expected: Expected;
  claims: Claims;
  method: string;
  path: string;
  body?: object;
  /** A list answer must hold this merchant's cases only. */
  listOnly?: string;
}

/**
 * One request per row. Customers and merchants act as the case's party (own) or as the other case's
 * party on it (other); an agent as its owner (own) or as another agent (other). The compliance block
 * acts on the compliance case.
 */
function row(operation: Operation, role: Role, relation: Relation, expected: Expected, onCompliance = false): Row {
  const [method, route] = operation.split(' ') as [string, string];
  const [subject, stranger] = onCompliance ? [compliance, mine] : [mine, theirs];
  const subjectId = onCompliance ? ids.compliance : ids.mine;
  const isParty = role === 'customer' || role === 'merchant';
  const caller = (p: Party) => (role === 'agent' ? AGENT : callers(p.customerId, p.merchantId)[role]);
  // Staff other than agents own no case: own and other are the same request, on the case where the action fits.
  const staffClaims =
    role === 'agent'
      ? relation === 'own'
        ? AGENT
        : OTHER_AGENT
      : caller(isParty && relation === 'other' ? stranger : subject);
  // A finding's own staff are the case's department (mine is a product case); other is another department's.
  const claims =
    operation === 'POST /v1/complaints/:id/findings' && !isParty
      ? { ...staffClaims, department: relation === 'own' ? 'product' : 'warehouse_logistics' }
      : staffClaims;
  const target = subjectId;
  const base = { operation, role, relation, expected, claims, method };
  if (operation === 'POST /v1/complaints') {
    const named = role === 'customer' || relation === 'own' ? mine : theirs;
    return {
      ...base,
      claims: caller(role === 'customer' && relation === 'other' ? theirs : mine),
      path: route,
      body: openBody(named),
    };
  }
  if (operation === 'GET /v1/complaints') {
    const filter = relation === 'own' ? mine.merchantId : theirs.merchantId;
    return {
      ...base,
      claims: caller(mine),
      path: `${route}?merchantId=${filter}&limit=100`,
      listOnly: role === 'merchant' ? mine.merchantId : undefined,
    };
  }
  if (operation === 'GET /v1/reports/summary' || operation === 'GET /v1/reports/satisfied-customers')
    return { ...base, path: `${route}?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z` };
  // Policy versions: version 1, which the API seeds, published.
  if (route.includes(':v'))
    return {
      ...base,
      path: `${route.replace(':v', '1')}${operation.endsWith('/calendar') ? '?year=2026' : ''}`,
      body: ACTION_BODIES[operation],
    };
  if (route.includes(':flagId'))
    return { ...base, path: route.replace(':flagId', FLAG_ID), body: ACTION_BODIES[operation] };
  if (route.includes(':fixId')) return { ...base, path: route.replace(':fixId', FIX_ID) };
  if (route.includes(':customerId'))
    return { ...base, path: route.replace(':customerId', mine.customerId), body: ACTION_BODIES[operation] };
  if (!route.includes(':id')) return { ...base, path: route, body: ACTION_BODIES[operation] };
  // An assignment that changes nothing: an agent takes the case for themself, other staff give it to its owner.
  const body =
    operation === 'POST /v1/complaints/:id/assign'
      ? { agentId: role === 'agent' ? claims.sub : AGENT.sub }
      : ACTION_BODIES[operation];
  return { ...base, claims, path: route.replace(':id', target), body };
}

const RELATIONS: Relation[] = ['own', 'other'];
const ROUTES = Object.keys(ACCESS) as Operation[];
const rows = (): Row[] => [
  ...ROUTES.flatMap((operation) =>
    Role.options.flatMap((role) =>
      RELATIONS.map((relation) => row(operation, role, relation, ACCESS[operation][role][relation])),
    ),
  ),
  ...Role.options.flatMap((role) =>
    RELATIONS.map((relation) =>
      row('POST /v1/complaints/:id/approval', role, relation, APPROVAL_ON_COMPLIANCE_CASE[role][relation], true),
    ),
  ),
];
// Names only: the requests are built once the cases exist. Refusals first, while every case stands where it was put.
const names = ROUTES.flatMap((operation) =>
  Role.options.flatMap((role) => RELATIONS.map((relation) => ({ operation, role, relation, onCompliance: false }))),
).concat(
  Role.options.flatMap((role) =>
    RELATIONS.map((relation) => ({
      operation: 'POST /v1/complaints/:id/approval',
      role,
      relation,
      onCompliance: true,
    })),
  ),
);
const expectedOf = (n: (typeof names)[number]) =>
  (n.onCompliance ? APPROVAL_ON_COMPLIANCE_CASE : ACCESS[n.operation])[n.role][n.relation];
const label = (n: (typeof names)[number]) =>
  [`${n.operation}${n.onCompliance ? ' (compliance case)' : ''}`, n.role, n.relation, expectedOf(n)] as const;

describe('the fixture', () => {
  it('has a row for every route the app serves (found by walking its router), every role, own and other', () => {
    expect(servedRoutes(h.app)).toEqual([...ROUTES, ...Object.keys(UNAUTHENTICATED)].sort());
    expect(rows()).toHaveLength((ROUTES.length + 1) * Role.options.length * 2);
  });

  it('names every bearer route the role table guards, and no other (the table and the contract agree on which routes there are)', () => {
    expect([...ROUTES].sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  it("gives each workflow update the roles the API lets through (the workflow's idea of who may act is the API's)", () => {
    for (const { operation, update } of ACTIONS)
      expect(PERMISSIONS[operation]).toEqual(ACTION_ROLES[update.name as CaseAction]);
  });
});

describe('route × role × own/other against the running API: refused', () => {
  const refused = names.filter((n) => expectedOf(n) !== 'allowed');

  it.each(refused.map(label))('%s as %s (%s): %s', async (operation, role, relation, expected) => {
    const r = row(
      operation.replace(' (compliance case)', '') as Operation,
      role,
      relation,
      expected,
      operation.endsWith('(compliance case)'),
    );
    const res = await send(r.claims, r.method, r.path, r.body);
    expect(res.status).toBe(expected);
    expect(errorOf(res).code).toMatch(expected === 404 ? /^not_found$/ : /^(forbidden|not_owner)$/);
  });
});

describe("the workflow's validators refuse what the API refuses, when an update reaches the case directly", () => {
  // Every action row the fixture refuses on a case (403 for the role, 404 for a stranger party), sent past the API.
  const byOperation = new Map(ACTIONS.map((a) => [a.operation, a] as const));
  const refused = names.filter((n) => byOperation.has(n.operation) && expectedOf(n) !== 'allowed');

  it.each(refused.map(label))('%s as %s (%s): %s', async (operation, role, relation, expected) => {
    const op = operation.replace(' (compliance case)', '') as Operation;
    const r = row(op, role, relation, expected, operation.endsWith('(compliance case)'));
    const action = byOperation.get(op)!;
    const actor = { ...r.claims };
    const id = decodeURIComponent(r.path.split('/')[3]);
    const failure = await h.temporal.workflow
      .getHandle(id)
      .executeUpdate(action.update, { args: [{ ...(action.body.parse(r.body) as object), actor }] })
      .then(
        () => null,
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure
            ? err.cause.type
            : String(err),
      );
    expect(failure).toMatch(expected === 404 ? /^not_found$/ : /^(forbidden|not_owner)$/);
  });
});

// Last: the callers let through move the cases on (approve, accept, rate), so the refusals above meet the cases where they were put.
describe('route × role × own/other against the running API: let through', () => {
  const allowed = names.filter((n) => expectedOf(n) === 'allowed');

  it.each(allowed.map(label))('%s as %s (%s): %s', async (operation, role, relation, expected) => {
    const r = row(
      operation.replace(' (compliance case)', '') as Operation,
      role,
      relation,
      expected,
      operation.endsWith('(compliance case)'),
    );
    const res = await send(r.claims, r.method, r.path, r.body);
    // Let through: the case's stage may still refuse (409, 422); who calls or the body's shape may not.
    expect([400, 401, 403, 404]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
    if (r.listOnly)
      expect(
        pageOf(res)
          .items.map((v) => v.order.merchantId)
          .filter((m) => m !== r.listOnly),
      ).toEqual([]);
  });
});

describe('routes without a bearer token, against the running API', () => {
  /** A request under a `USE` route: one file it serves. */
  const SAMPLE: Record<string, string> = { 'USE /docs': '/docs/', 'USE /console/dist': '/console/dist/main.js' };
  const target = (route: string) => {
    const [method, path] = route.split(' ') as [string, string];
    if (method === 'USE') {
      const sample = SAMPLE[route];
      if (!sample) throw new Error(`${route}: say which file of it to ask for in SAMPLE`);
      return { method: 'GET', path: sample };
    }
    return { method, path };
  };
  const ask = async (route: string, authorization?: string, body?: object) => {
    const { method, path } = target(route);
    const req =
      method === 'GET'
        ? request(h.app).get(path)
        : request(h.app)
            .post(path)
            .send(body ?? {});
    return authorization ? req.set('authorization', authorization) : req;
  };
  const byWho = (who: string) =>
    Object.entries(UNAUTHENTICATED)
      .filter(([, w]) => w === who)
      .map(([route]) => route);

  it.each(byWho('anyone'))("%s: answered without a token, and the same with any role's token", async (route) => {
    const bare = await ask(route);
    expect([401, 403, 404]).not.toContain(bare.status);
    expect(bare.status).toBeLessThan(500);
    for (const role of Role.options) {
      const withToken = await ask(route, await h.bearer(callers(mine.customerId, mine.merchantId)[role]));
      expect(withToken.status).toBe(bare.status);
    }
  });

  it.each(byWho('carrier'))(
    '%s: 401 without a carrier signature, whatever bearer token comes with it',
    async (route) => {
      const event = { eventId: 'ev-1', waybillNo: 'SF1', status: 'in_transit', at: '2026-11-01T10:00:00+08:00' };
      expect((await ask(route, undefined, event)).status).toBe(401);
      for (const role of Role.options) {
        const res = await ask(route, await h.bearer(callers(mine.customerId, mine.merchantId)[role]), event);
        expect(res.status).toBe(401);
        expect(errorOf(res).code).toBe('unauthenticated');
      }
    },
  );

  it.each(byWho('development'))('%s: answered in development mode, 404 in any other deployment', async (route) => {
    const body = { role: 'agent', sub: 'agent-7' };
    expect((await ask(route, undefined, body)).status).toBe(200);
    const deployment = createApp({
      ...h,
      payments: {} as never,
      logger: silent,
      orders: {} as never,
      config: {
        ...h.config,
        NODE_ENV: 'production',
        COMPLAINT_DEV_MODE: false,
        JWT_SECRET: 'a-deployment-secret-of-32-bytes-or-more',
        CARRIER_SECRETS: { '*': 'a-carrier-secret-of-its-own' },
      },
    });
    const { path } = target(route);
    const res = await request(deployment).post(path).send(body);
    expect(res.status).toBe(404);
    expect(servedRoutes(deployment)).not.toContain(route);
  });
});
