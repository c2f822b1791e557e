import request from 'supertest';
import { ACTIONS } from '../../api/actions';
import { PERMISSIONS, type Operation } from '../../api/permissions';
import { Role } from '../../shared/domain';
import { API_MD_ROLES, contractAllows } from './routeRoles';
import { errorOf, callers, party, startApi, type ApiHarness } from './support';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h.close();
});

const p = party();
const as = callers(p.customerId, p.merchantId);

/**
 * What an allowed caller gets from a request that carries no body and names a case that does not
 * exist: the first check after the role, proving the role check let it through.
 */
function allowedStatus(operation: Operation): number {
  const action = ACTIONS.find((a) => a.operation === operation);
  // An action whose fields are all optional gets past validation to the (missing) case.
  if (action) return action.body.safeParse({}).success ? 404 : 400;
  if (operation === 'POST /v1/complaints') return 400;
  if (operation.includes(':id')) return 404;
  if (operation === 'GET /v1/reports/summary') return 400;
  return 200;
}

// Expectations come from api.md's table (routeRoles.ts), never from the API's own PERMISSIONS.
const table = (Object.keys(API_MD_ROLES) as Operation[]).flatMap((operation) => Role.options.map((role) => [operation, role] as const));

describe('route × role table', () => {
  it('serves exactly the routes of api.md and the repair-completed extra', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(API_MD_ROLES).sort());
    expect(Object.keys(API_MD_ROLES)).toHaveLength(19);
  });

  it.each(table)('%s as %s', async (operation, role) => {
    const [method, path] = operation.split(' ') as ['GET' | 'POST', string];
    const url = path.replace(':id', `cmp-missing-${p.customerId}`);
    const auth = await h.bearer(as[role]);
    const res = method === 'GET' ? await request(h.app).get(url).set('authorization', auth) : await request(h.app).post(url).set('authorization', auth).send({});
    if (contractAllows(role, operation)) {
      expect(res.status).toBe(allowedStatus(operation));
    } else {
      expect(res.status).toBe(403);
      expect(errorOf(res)).toMatchObject({ code: 'forbidden', details: [] });
    }
  });
});
