import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * A frozen generation (workflows/legacy/, docs/versioning.md "Retiring patches") replays the
 * histories its cases recorded, so its behaviour must not move when live code does. Its files may
 * import, at run time, only one another and the modules below; a type-only import (`import type`,
 * `export type`) is erased before the code runs and may come from anywhere.
 */

const ROOT = path.resolve(__dirname, '../..');
const LEGACY = path.join(ROOT, 'workflows', 'legacy');

/** Packages a frozen generation may import at run time, and why that is safe. */
const PACKAGES: Record<string, string> = {
  '@temporalio/workflow': 'the SDK; a version bump is replayed against every generation by the replay suite',
  '@temporalio/common': 'the same SDK release as @temporalio/workflow (search attribute keys)',
  luxon: 'a pinned dependency; a version bump is replayed against every generation by the replay suite',
};

/** Repository modules (from the root, no extension) a frozen generation may import at run time, and why. */
const STABLE_MODULES: Record<string, string> = {
  'shared/messages':
    'the names of the signals, updates and queries the API sends to every run: the contract old and new runs answer alike, so a frozen copy would fall deaf if it were renamed',
};

interface Import {
  file: string;
  line: number;
  specifier: string;
}

/** The run-time imports of a module: import/export declarations that are not type-only, `import()` and `require()`. */
function runtimeImports(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (node: ts.Node, specifier: ts.Expression | undefined): void => {
    if (!specifier) return;
    // A computed specifier cannot be checked: report it as such rather than let it through.
    const name = ts.isStringLiteralLike(specifier) ? specifier.text : `<computed ${specifier.getText()}>`;
    found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, specifier: name });
  };
  const visit = (node: ts.Node): void => {
    // `import { type A } from 'x'` may stay in the output as a bare `import 'x'`: only a type-only clause counts as erased.
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) add(node, node.moduleSpecifier);
    if (ts.isExportDeclaration(node) && !node.isTypeOnly) add(node, node.moduleSpecifier);
    if (ts.isImportEqualsDeclaration(node) && !node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference))
      add(node, node.moduleReference.expression);
    if (ts.isCallExpression(node)) {
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (dynamic || required) add(node, node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : /\.[cm]?[jt]s$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

/** Why an import is refused, or null when it is allowed. */
function refusal(imp: Import): string | null {
  if (imp.specifier.startsWith('<computed')) return 'a computed module name cannot be checked';
  if (imp.specifier.startsWith('.')) {
    const target = path.resolve(path.dirname(imp.file), imp.specifier);
    if (target.startsWith(LEGACY + path.sep)) return null;
    const fromRoot = path
      .relative(ROOT, target)
      .split(path.sep)
      .join('/')
      .replace(/\.[cm]?[jt]s$/, '');
    return fromRoot in STABLE_MODULES ? null : `live module ${fromRoot}`;
  }
  const pkg = imp.specifier.startsWith('@')
    ? imp.specifier.split('/').slice(0, 2).join('/')
    : imp.specifier.split('/')[0];
  return pkg in PACKAGES ? null : `package ${pkg} is not on the list`;
}

describe('the frozen generations under workflows/legacy/', () => {
  it('finds run-time imports, erased type imports, and live modules (the check can fail)', () => {
    const probe = path.join(LEGACY, 'rev2', 'probe.ts');
    const imports = runtimeImports(
      probe,
      [
        "import type { A } from '../../../shared/domain';",
        "import { type B, c } from '../../../shared/calendar';",
        "import { type D } from '../../deadlines';",
        "export * from '../../case';",
        "const e = require('../../../shared/wording');",
        "import { f } from './case';",
        "import { g } from '../../../shared/messages';",
        "import { DateTime } from 'luxon';",
        "import { z } from 'zod';",
      ].join('\n'),
    );
    expect(imports.map((i) => [i.specifier, refusal(i)])).toEqual([
      ['../../../shared/calendar', 'live module shared/calendar'],
      ['../../deadlines', 'live module workflows/deadlines'],
      ['../../case', 'live module workflows/case'],
      ['../../../shared/wording', 'live module shared/wording'],
      ['./case', null],
      ['../../../shared/messages', null],
      ['luxon', null],
      ['zod', 'package zod is not on the list'],
    ]);
  });

  it('import at run time nothing but one another, the SDK, luxon and the stable message contract', () => {
    const files = filesUnder(LEGACY);
    expect(files.length).toBeGreaterThan(0);
    const refused = files.flatMap((file) =>
      runtimeImports(file, readFileSync(file, 'utf8')).flatMap((imp) => {
        const why = refusal(imp);
        return why ? [`${path.relative(ROOT, imp.file)}:${imp.line} imports '${imp.specifier}': ${why}`] : [];
      }),
    );
    expect(refused).toEqual([]);
  });
});
