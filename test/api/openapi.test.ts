import request from 'supertest';
import { ACTIONS } from '../../api/actions';
import { PERMISSIONS, type Operation } from '../../api/permissions';
import { useApiHarness } from './support';

const h = useApiHarness();

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { description?: string; requestBody?: unknown; responses: Record<string, unknown> }>>;
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

  it('lists the health routes and nothing the API does not serve', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const served = [...Object.keys(PERMISSIONS).map((o) => o.replace(/:(\w+)/g, '{$1}')), 'GET /healthz', 'GET /readyz'];
    expect(listed.sort()).toEqual(served.sort());
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
