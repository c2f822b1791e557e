import request from 'supertest';
import { ACTIONS } from '../../api/actions';
import { PERMISSIONS, type Operation } from '../../api/permissions';
import { useApiHarness } from './support';

const h = useApiHarness();

interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<string, { description?: string; requestBody?: unknown; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, unknown> };
}

describe('GET /openapi.json', () => {
  let doc: Doc;
  beforeAll(async () => {
    const res = await request(h.app).get('/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body as Doc;
  });

  it('is OpenAPI 3.x', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.components.schemas).toHaveProperty('CaseViewV1');
  });

  it.each(Object.keys(PERMISSIONS) as Operation[])('lists %s with its roles and error answers', (operation) => {
    const [method, path] = operation.split(' ') as [string, string];
    const entry = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
    expect(entry).toBeDefined();
    expect(entry?.description).toContain(`Roles: ${PERMISSIONS[operation].join(', ')}`);
    expect(Object.keys(entry?.responses ?? {})).toEqual(expect.arrayContaining(['400', '401', '403', '429', '503']));
  });

  it('says when an operations manager may decide an approval', () => {
    const approval = doc.paths['/v1/complaints/{id}/approval']?.post?.description ?? '';
    expect(approval).toContain('ops_manager');
    expect(approval).toMatch(/ops_manager once the approval deadline escalated to them/);
  });

  it('lists the health routes, the carrier events and nothing the API does not serve', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    // POST /v1/carrier-events is in OpenAPI like every other route (docs/api-guide.md: the whole contract).
    const served = [
      ...Object.keys(PERMISSIONS).map((o) => o.replace(/:(\w+)/g, '{$1}')),
      'GET /healthz',
      'GET /readyz',
      'POST /v1/carrier-events',
    ];
    expect(listed.sort()).toEqual(served.sort());
  });

  it('documents POST /v1/carrier-events: the carrier signature instead of a bearer token, the body and every answer', () => {
    const entry = doc.paths['/v1/carrier-events']?.post as Doc['paths'][string][string] & {
      security?: unknown;
      parameters?: Array<{ name: string; in: string }>;
    };
    expect(entry.security).toEqual([{ carrierSignature: [] }]);
    expect(entry.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'x-carrier-id', in: 'header' })]),
    );
    const body = (entry.requestBody as { content: Record<string, { schema: { required?: string[] } }> }).content[
      'application/json'
    ].schema;
    expect(body.required).toEqual(expect.arrayContaining(['eventId', 'waybillNo', 'status', 'at']));
    expect(Object.keys(entry.responses).sort()).toEqual(['202', '400', '401', '409', '429', '503']);
    expect(
      (doc.components as { securitySchemes?: Record<string, unknown> }).securitySchemes?.carrierSignature,
    ).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-carrier-signature' });
  });

  it("documents the 404 of POST /v1/complaints, and no reason required beside a priority (a customer's is ignored)", () => {
    const entry = doc.paths['/v1/complaints']?.post;
    expect(Object.keys(entry?.responses ?? {})).toContain('404');
    const body = (entry?.requestBody as { content: Record<string, { schema: Record<string, unknown> }> }).content[
      'application/json'
    ].schema;
    expect(body).not.toHaveProperty('dependentRequired');
    expect(entry?.description).toMatch(/priority/);
  });

  it('documents the evidence limits: 2048 characters a link, 50 pieces a case', () => {
    const evidence = doc.paths['/v1/complaints/{id}/evidence']?.post;
    expect(JSON.stringify(evidence?.requestBody)).toContain('"maxLength":2048');
    expect(evidence?.description).toMatch(/at most 50 pieces of evidence/);
  });

  it('documents each action body from the schema that validates it', () => {
    for (const { operation } of ACTIONS) {
      const path = operation.split(' ')[1]?.replace(':id', '{id}') ?? '';
      expect(doc.paths[path]?.post?.requestBody).toBeDefined();
    }
  });
});

it('renders the document at /docs', async () => {
  const res = await request(h.app).get('/docs/');
  expect(res.status).toBe(200);
  expect(res.text).toContain('swagger-ui');
});
