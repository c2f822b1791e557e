import { openApiDocument } from '../../api/openapi';
import { type OpenApiDocument, routesOf } from '../../dev/reliability/fuzz';

/**
 * The reliability run's fuzz (dev/reliability/fuzz.ts) reads the served contract and needs a body
 * and query schema of its own for every route it fuzzes: a route added without them stopped a full
 * run at its start. Here it fails at once, in CI, instead; and a route left out of the fuzz is left
 * out here by name, with its reason in routesOf.
 */
const LEFT_OUT = [
  'GET /v1/policy/versions',
  'POST /v1/policy/versions',
  'GET /v1/policy/versions/{v}',
  'POST /v1/policy/versions/{v}/publish',
  'GET /v1/policy/versions/{v}/calendar',
  'POST /v1/policy/versions/{v}/what-if',
  'POST /v1/qa/draws',
  'POST /v1/qa/reviews/{id}/score',
  'POST /v1/merchants/flags/{flagId}/decision',
  'POST /v1/customers/{customerId}/dedicated-agent',
  'GET /v1/fixes/{fixId}',
  'POST /v1/carrier-events',
];

it('the fuzz knows every route the contract documents but those it leaves out by name', () => {
  const doc = JSON.parse(JSON.stringify(openApiDocument())) as OpenApiDocument;
  const fuzzed = new Set(routesOf(doc).map((r) => `${r.method} ${r.path}`));
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  expect(documented.filter((r) => !fuzzed.has(r)).sort()).toEqual([...LEFT_OUT].sort());
});
