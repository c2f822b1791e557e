import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { PATCHES } from '../../workflows/patches';

/**
 * Every patch id the workflow code uses is in the registry (workflows/patches.ts), and every id
 * in the registry is used, unless it is marked `retired` (docs/versioning.md, "Retiring patches"):
 * an unregistered id has no recorded date, so nobody can tell when it may be deprecated; a
 * registered id no code uses was either removed without saying so or never wired in.
 */

const ROOT = path.resolve(__dirname, '../..');
const WORKFLOWS = path.join(ROOT, 'workflows');
const PATCH_CALLS = ['patched', 'deprecatePatch'];

interface Entry {
  id: string;
  since: string;
  retired?: string;
}
const REGISTRY = Object.entries(PATCHES as Record<string, Entry>);

interface Use {
  at: string;
  call: string;
  /** The id, or why it could not be read. */
  id: string | { unreadable: string };
}

/** `const NAME = '<literal>'` at the top of a module: how the frozen generation names its ids. */
function stringConstants(source: ts.SourceFile): Map<string, string> {
  const constants = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of statement.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.initializer && ts.isStringLiteralLike(d.initializer))
        constants.set(d.name.text, d.initializer.text);
  }
  return constants;
}

/** Every `patched(...)` / `deprecatePatch(...)` call (also renamed or through a namespace import) and the id it passes. */
function patchUses(files: Array<{ name: string; text: string }>, registry: ReadonlyArray<[string, Entry]>): Use[] {
  const sources = files.map((f) => ts.createSourceFile(f.name, f.text, ts.ScriptTarget.Latest, true));
  // Ids kept in constants may be imported from another workflow module; names are unique enough across workflows/.
  const constants = new Map<string, string>();
  for (const s of sources) for (const [k, v] of stringConstants(s)) constants.set(k, v);
  const byKey = new Map(registry);
  const uses: Use[] = [];
  for (const source of sources) {
    const local = new Map<string, string>();
    const namespaces = new Set<string>();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      if (statement.moduleSpecifier.text !== '@temporalio/workflow') continue;
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings))
        for (const el of bindings.elements) {
          const imported = (el.propertyName ?? el.name).text;
          if (PATCH_CALLS.includes(imported)) local.set(el.name.text, imported);
        }
    }
    const idOf = (arg: ts.Expression | undefined): Use['id'] => {
      if (!arg) return { unreadable: 'no argument' };
      if (ts.isStringLiteralLike(arg)) return arg.text;
      if (ts.isIdentifier(arg))
        return constants.get(arg.text) ?? { unreadable: `${arg.text} is not a string constant of workflows/` };
      // PATCHES.<key>.id
      if (
        ts.isPropertyAccessExpression(arg) &&
        arg.name.text === 'id' &&
        ts.isPropertyAccessExpression(arg.expression) &&
        ts.isIdentifier(arg.expression.expression) &&
        arg.expression.expression.text === 'PATCHES'
      ) {
        const key = arg.expression.name.text;
        return byKey.get(key)?.id ?? { unreadable: `PATCHES.${key} is not in the registry` };
      }
      return { unreadable: `${arg.getText()} is not a literal, a constant or PATCHES.<key>.id` };
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        let call: string | undefined;
        if (ts.isIdentifier(callee)) call = local.get(callee.text);
        else if (
          ts.isPropertyAccessExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          namespaces.has(callee.expression.text) &&
          PATCH_CALLS.includes(callee.name.text)
        )
          call = callee.name.text;
        if (call) {
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          uses.push({ at: `${source.fileName}:${line}`, call, id: idOf(node.arguments[0]) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return uses;
}

/** The mismatches between the uses and the registry, one line each; empty when they agree. */
function mismatches(uses: Use[], registry: ReadonlyArray<[string, Entry]>): string[] {
  const problems: string[] = [];
  const registered = new Map(registry.map(([key, e]) => [e.id, { key, ...e }]));
  const seen = new Map<string, string>();
  for (const [key, e] of registry) {
    const other = seen.get(e.id);
    if (other) problems.push(`registry: ${key} and ${other} both hold id '${e.id}'`);
    seen.set(e.id, key);
  }
  const used = new Set<string>();
  for (const u of uses) {
    if (typeof u.id !== 'string') {
      problems.push(`${u.at}: ${u.call}(): ${u.id.unreadable}`);
      continue;
    }
    used.add(u.id);
    const entry = registered.get(u.id);
    if (!entry) problems.push(`${u.at}: ${u.call}('${u.id}') is not in workflows/patches.ts`);
    else if (entry.retired)
      problems.push(`${u.at}: ${u.call}('${u.id}') is still used but ${entry.key} is marked retired`);
  }
  for (const [key, e] of registry)
    if (!used.has(e.id) && !e.retired)
      problems.push(`registry: ${key} ('${e.id}') is used by no workflow code and not marked retired`);
  return problems;
}

function workflowFiles(dir: string): Array<{ name: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return workflowFiles(full);
    return e.name.endsWith('.ts') ? [{ name: path.relative(ROOT, full), text: readFileSync(full, 'utf8') }] : [];
  });
}

describe('the patch registry (workflows/patches.ts)', () => {
  it('reads ids from literals, constants, PATCHES.<key>.id and renamed imports, and reports each kind of mismatch', () => {
    const registry: Array<[string, Entry]> = [
      ['used', { id: 'used', since: '2026-01-01' }],
      ['viaConstant', { id: 'via-constant', since: '2026-01-01' }],
      ['unused', { id: 'unused', since: '2026-01-01' }],
      ['gone', { id: 'gone', since: '2026-01-01', retired: '2026-02-01' }],
      ['stillUsed', { id: 'still-used', since: '2026-01-01', retired: '2026-02-01' }],
      ['twin', { id: 'used', since: '2026-01-02' }],
    ];
    const uses = patchUses(
      [
        {
          name: 'a.ts',
          text: [
            "import { patched, deprecatePatch as dp } from '@temporalio/workflow';",
            "import * as wf from '@temporalio/workflow';",
            "const VIA = 'via-constant';",
            'if (patched(PATCHES.used.id)) {}',
            'if (patched(VIA)) {}',
            "dp('still-used');",
            "wf.patched('not-registered');",
            'patched(PATCHES.missing.id);',
            'patched(someId());',
          ].join('\n'),
        },
      ],
      registry,
    );
    expect(uses.map((u) => [u.call, u.id])).toEqual([
      ['patched', 'used'],
      ['patched', 'via-constant'],
      ['deprecatePatch', 'still-used'],
      ['patched', 'not-registered'],
      ['patched', { unreadable: 'PATCHES.missing is not in the registry' }],
      ['patched', { unreadable: 'someId() is not a literal, a constant or PATCHES.<key>.id' }],
    ]);
    expect(mismatches(uses, registry)).toEqual([
      "registry: twin and used both hold id 'used'",
      "a.ts:6: deprecatePatch('still-used') is still used but stillUsed is marked retired",
      "a.ts:7: patched('not-registered') is not in workflows/patches.ts",
      'a.ts:8: patched(): PATCHES.missing is not in the registry',
      'a.ts:9: patched(): someId() is not a literal, a constant or PATCHES.<key>.id',
      "registry: unused ('unused') is used by no workflow code and not marked retired",
    ]);
  });

  it('every patch id used in workflows/ (legacy included) is registered, and every registered id is used or retired', () => {
    const uses = patchUses(workflowFiles(WORKFLOWS), REGISTRY);
    // The workflow code branches on patches in many places; finding none would mean the scan is blind.
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.some((u) => u.at.startsWith(path.join('workflows', 'legacy')))).toBe(true);
    expect(mismatches(uses, REGISTRY)).toEqual([]);
  });
});
