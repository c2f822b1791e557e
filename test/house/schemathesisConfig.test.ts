import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../../api/openapi';

/**
 * The contract fuzz (scripts/schemathesis.toml, docs/security.md) sends any string the schema
 * allows. Where the contract marks what no schema can state (an opaque cursor: only the strings this
 * API handed out; `to` after `from`), a 400 is the caller's mistake the document announces, and the
 * fuzz must be told so per operation, or every new list route fails the CI run it first meets.
 */

const toml = readFileSync(path.join(__dirname, '..', '..', 'scripts', 'schemathesis.toml'), 'utf8');

/** The operations the settings allow a 400 for: each `[[operations]]` block naming one, with "400" in its statuses. */
function allowed400(): Set<string> {
  const out = new Set<string>();
  for (const block of toml.split('[[operations]]').slice(1)) {
    const name = /include-name\s*=\s*"([^"]+)"/.exec(block)?.[1];
    const statuses = /expected-statuses\s*=\s*\[([^\]]*)\]/.exec(block)?.[1] ?? '';
    if (name && statuses.includes('"400"')) out.add(name);
  }
  return out;
}

type Parameter = { name: string; in: string; schema?: Record<string, unknown> };

/** Operations with a parameter marked `x-opaque` or `x-after` in the published contract. */
function markedOperations(): string[] {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
  const out: string[] = [];
  for (const [route, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const marked = (op.parameters ?? []).some(
        (p) => p.schema?.['x-opaque'] === true || p.schema?.['x-after'] !== undefined,
      );
      if (marked) out.push(`${method.toUpperCase()} ${route}`);
    }
  }
  return out.sort();
}

it('finds the marked operations in the contract (the check below has something to check)', () => {
  expect(markedOperations()).toEqual(expect.arrayContaining(['GET /v1/complaints', 'GET /v1/reports/summary']));
});

it.each(markedOperations())('the contract fuzz accepts a 400 for %s', (operation) => {
  expect([...allowed400()]).toContain(operation);
});
