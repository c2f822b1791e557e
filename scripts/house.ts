/**
 * `npm run house`: the figures that say whether the tree is easy to live in, each beside its goal
 * (docs/house.md): the replay corpus's size, the README's length, the longest live function in
 * workflows/, the test time of the last fresh clone as recorded in docs/house.md, and the lines that cite
 * something not in the repository (dev/house/citations.ts).
 * It reads files only (and asks git which are tracked); it changes nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { citationFindings } from '../dev/house/citations';

const ROOT = path.resolve(__dirname, '..');

interface Figure {
  what: string;
  value: string;
  goal: string;
  met: boolean | undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

export function corpus(dir = path.join(ROOT, 'test/histories')): {
  bytes: number;
  histories: number;
  generations: number;
} {
  const files = filesUnder(dir);
  return {
    bytes: files.reduce((sum, f) => sum + statSync(f).size, 0),
    histories: files.filter((f) => /\.json(\.gz)?$/.test(f) && path.basename(f) !== 'markers.json').length,
    generations: readdirSync(dir).filter((g) => /^\d+-/.test(g)).length,
  };
}

/** Every function-like node of a source file, with its length in lines from its first token to its last. */
export function functionLengths(
  file: string,
  text = readFileSync(file, 'utf8'),
): Array<{ name: string; line: number; lines: number }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Array<{ name: string; line: number; lines: number }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: nameOf(node, source), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(source);
  // An arrow or function expression takes the name of what holds it (a const, a property).
  const holder = node.parent as ts.Node & { name?: ts.Node };
  if (holder && (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder)) && holder.name)
    return holder.name.getText(source);
  return '(anonymous)';
}

/** The last row of the fresh-clone table in docs/house.md: | date | commit | seconds | tests | ... | */
export function lastFreshClone(
  markdown: string,
): { date: string; commit: string; seconds: number; tests: string } | undefined {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Fresh-clone test runs'));
  const rows = (section ?? '')
    .split('\n')
    .filter((l) => /^\|\s*\d{4}-\d{2}-\d{2}/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()));
  const last = rows.at(-1);
  return last
    ? { date: last[1], commit: last[2], seconds: Number(last[3].replace(/[^\d.]/g, '')), tests: last[4] }
    : undefined;
}

function main(): void {
  const figures: Figure[] = [];

  const c = corpus();
  figures.push({
    what: 'replay corpus (test/histories)',
    value: `${(c.bytes / 1e6).toFixed(1)} MB, ${c.histories} histories in ${c.generations} generations`,
    goal: '≤ 15 MB',
    met: c.bytes <= 15e6,
  });

  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const readmeLines = readme.at(-1) === '' ? readme.length - 1 : readme.length;
  figures.push({ what: 'README.md', value: `${readmeLines} lines`, goal: '≤ 250 lines', met: readmeLines <= 250 });

  const live = filesUnder(path.join(ROOT, 'workflows')).filter(
    (f) => f.endsWith('.ts') && !f.includes(`${path.sep}legacy${path.sep}`),
  );
  const longest = live
    .flatMap((f) => functionLengths(f).map((fn) => ({ ...fn, file: path.relative(ROOT, f) })))
    .sort((a, b) => b.lines - a.lines)[0];
  figures.push({
    what: 'longest live function in workflows/',
    value: longest ? `${longest.lines} lines: ${longest.name} (${longest.file}:${longest.line})` : 'none',
    goal: 'none set: a figure to watch (docs/house.md)',
    met: undefined,
  });

  const fresh = lastFreshClone(readFileSync(path.join(ROOT, 'docs/house.md'), 'utf8'));
  figures.push({
    what: 'last fresh-clone `bash .ci/run`',
    value: fresh
      ? `${fresh.seconds} s for ${fresh.tests} tests (${fresh.date}, ${fresh.commit})`
      : 'not recorded in docs/house.md (not measured)',
    goal: '≤ 420 s, setup included',
    met: fresh ? fresh.seconds <= 420 : undefined,
  });

  const citations = citationFindings(ROOT);
  const outside = new Set(citations.map((f) => `${f.file}:${f.line}`)).size;
  figures.push({
    what: 'citations of what is not in the repository',
    value: `${outside} lines (outside documents, issue numbers, machine paths; test/house/citations.test.ts)`,
    goal: '0',
    met: outside === 0,
  });

  const width = Math.max(...figures.map((f) => f.what.length));
  for (const f of figures) {
    const verdict = f.met === undefined ? '' : f.met ? ': met' : ': missed';
    console.log(`${f.what.padEnd(width)}  ${f.value}  [goal ${f.goal}${verdict}]`);
  }
}

if (require.main === module) main();
