import fc from 'fast-check';
import request from 'supertest';
import { Role } from '../../shared/domain';
import { useApiHarness, callers, party } from './support';

/**
 * The contract is exact: requests generated from GET /openapi.json alone, for every
 * operation and every role, valid by everything the document states (types, enums, formats,
 * lengths, patterns, required bodies, and the cross-field rules in `if`/`then`, `dependentRequired`
 * and `x-after`), are never answered 400 for their shape. What else they get (403, 404 for a case
 * that does not exist, 422 for an order that does not) is another test's business; never a 500.
 */

const h = useApiHarness();
let doc: OpenApi;
beforeAll(async () => {
  doc = (await request(h.app).get('/openapi.json')).body as OpenApi;
});

interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  if?: Schema;
  then?: Schema;
  not?: Schema;
  dependentRequired?: Record<string, string[]>;
  'x-after'?: string;
  'x-opaque'?: boolean;
}
interface Parameter {
  name: string;
  in: 'query' | 'path';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  security?: unknown[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const resolve = (s: Schema): Schema =>
  s.$ref ? resolve(doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]) : s;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a value meets the parts of a schema the rules (`if`, `then`) use. */
function matches(value: unknown, s: Schema): boolean {
  if (s.const !== undefined && value !== s.const) return false;
  if (s.enum && !s.enum.includes(value)) return false;
  if (s.not && matches(value, s.not)) return false;
  if (!isObject(value)) return true;
  if (s.required?.some((k) => value[k] === undefined)) return false;
  return Object.entries(s.properties ?? {}).every(([k, sub]) => value[k] === undefined || matches(value[k], sub));
}

/** The cross-field rules an object schema states. */
function meetsRules(value: unknown, s: Schema): boolean {
  if (!isObject(value)) return true;
  const rules = (s.allOf ?? []).every((r) => !r.if || !matches(value, r.if) || matches(value, r.then ?? {}));
  const dependent = Object.entries(s.dependentRequired ?? {}).every(
    ([k, needs]) => value[k] === undefined || needs.every((n) => value[n] !== undefined),
  );
  return rules && dependent;
}

const FIRST = new Date('0001-01-01T00:00:00Z');
const LAST = new Date('9999-12-31T23:59:59Z');

function stringArb(s: Schema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Math.max(min, 40);
  if (s.format === 'date-time')
    return fc.date({ min: FIRST, max: LAST, noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === 'date')
    return fc.date({ min: FIRST, max: LAST, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  // A link's pattern narrows its scheme (a lab's report is https: only).
  if (s.format === 'uri') return s.pattern ? fc.webUrl().filter((u) => new RegExp(s.pattern!).test(u)) : fc.webUrl();
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= min && x.length <= max);
  return fc.string({ minLength: min, maxLength: Math.min(max, 60) });
}

function arb(schema: Schema): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.anyOf ?? s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf ?? []).map(arb));
  const types = [s.type ?? (s.properties ? 'object' : 'string')].flat();
  return fc.oneof(...types.map((t) => typed(t, s))).filter((v) => meetsRules(v, s));
}

function typed(type: string, s: Schema): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1_000_000),
        max: s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000_000_000),
      });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'array':
      return fc.array(arb(s.items ?? {}), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'object': {
      const required = new Set(s.required ?? []);
      const fields = Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([k, sub]) => [
          k,
          required.has(k) ? arb(sub) : fc.option(arb(sub), { nil: undefined }),
        ]),
      );
      return fc.record(fields).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default:
      return stringArb(s);
  }
}

/** A query string from the operation's parameters: each optional one present or not; opaque ones (cursors) only as handed out, so never here. */
function queryArb(params: Parameter[]): fc.Arbitrary<Record<string, string>> {
  const query = params.filter((p) => p.in === 'query' && !resolve(p.schema)['x-opaque']);
  const fields = Object.fromEntries(
    query.map((p) => [p.name, p.required ? arb(p.schema) : fc.option(arb(p.schema), { nil: undefined })]),
  );
  return fc
    .record(fields)
    .map((o) =>
      Object.fromEntries(
        Object.entries(o)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ),
    )
    .filter((q) =>
      query.every((p) => {
        const after = resolve(p.schema)['x-after'];
        return (
          !after || q[p.name] === undefined || q[after] === undefined || Date.parse(q[p.name]) > Date.parse(q[after])
        );
      }),
    );
}

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })));

const RUNS = 6;

/** A computation over stored facts whose inputs are all in the query (`what-if?from&to`, docs/api-guide.md). */
const QUERY_ONLY_POSTS = new Set(['/v1/policy/versions/{v}/what-if']);
/**
 * Bodies whose rules go beyond JSON Schema: a draft policy's dates must be real days, its zone an
 * IANA zone, its service hours in order (test/api/policyVersions.test.ts covers each refusal). A
 * generated one is refused with 400 naming the field; it must still never be a 5xx.
 */
// A fix names its cases by ids or by a selector, one of the two, each id once (docs/domain.md §9.6); a phone
// callback's rating and suggestion come with a call that reached the customer (docs/domain.md §9.4); a merchant offers each option once (docs/domain.md §7.9).
const SEMANTIC_BODIES = new Set([
  '/v1/policy/versions',
  '/v1/fixes',
  '/v1/complaints/{id}/phone-callback',
  '/v1/complaints/{id}/merchant-reply',
]);

it('documents a body as required wherever the API needs one', () => {
  for (const { method, path, op } of operations()) {
    if (method === 'post' && !QUERY_ONLY_POSTS.has(path))
      expect({ path, required: op.requestBody?.required }).toEqual({ path, required: true });
  }
});

describe.each(Role.options)('requests generated from the document, as %s', (role) => {
  const p = party();
  const claims = callers(p.customerId, p.merchantId)[role];

  it('are never answered 400 for their shape, nor 5xx', async () => {
    const refused: string[] = [];
    for (const { method, path, op } of operations()) {
      const pathParams = (op.parameters ?? []).filter((x) => x.in === 'path');
      const plan = fc.record({
        params: fc.record(Object.fromEntries(pathParams.map((x) => [x.name, arb(x.schema).map(String)]))),
        query: queryArb(op.parameters ?? []),
        body: op.requestBody ? arb(op.requestBody.content['application/json'].schema) : fc.constant(undefined),
      });
      for (const sample of fc.sample(plan, { numRuns: RUNS, seed: 20_261_127 })) {
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(sample.params[name]));
        const auth = op.security ? await h.bearer(claims) : undefined;
        const req =
          method === 'get'
            ? request(h.app).get(url).query(sample.query)
            : request(h.app)
                .post(url)
                .query(sample.query)
                .send(sample.body as object);
        const res = await (auth ? req.set('authorization', auth) : req);
        // 503 is a provider (the sandbox) failing, not the API refusing the request; a 500 would be the API's own fault.
        const shapeRefused = res.status === 400 && !(method === 'post' && SEMANTIC_BODIES.has(path));
        if (shapeRefused || (res.status >= 500 && res.status !== 503))
          refused.push(
            `${method.toUpperCase()} ${url} ${JSON.stringify(sample.query)} ${JSON.stringify(sample.body)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
          );
      }
    }
    expect(refused).toEqual([]);
  }, 300_000);
});
