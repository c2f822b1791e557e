/**
 * The repository stands alone: what its files cite must be in it. This finds, in every tracked
 * text file, a citation of a document that is not in the repository (a `*.md` that is not tracked,
 * "the spec"), a section sign that does not point into docs/domain.md or names a section it does
 * not have, an issue number, and a path of one machine (its work folders, a home, a hard-coded
 * temp folder). `npm run house` counts them; test/house/citations.test.ts holds the tree to none.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export type CitationRule =
  | 'outside-document'
  | 'section-outside-domain'
  | 'unknown-section'
  | 'issue-number'
  | 'machine-path'
  | 'spec-as-document';

export interface CitationFinding {
  file: string;
  line: number;
  rule: CitationRule;
  text: string;
}

/** What a citation may point at: the tracked files, and the sections docs/domain.md has (`3`, `3.2`). */
export interface CitableTree {
  files: ReadonlySet<string>;
  sections: ReadonlySet<string>;
}

/** Files not read, and why. */
const SKIPPED: Array<{ test: (file: string) => boolean; why: string }> = [
  {
    test: (f) => f.startsWith('test/histories/'),
    why: 'recorded runs: a generation is never edited (docs/versioning.md)',
  },
  {
    test: (f) => f === 'package-lock.json',
    why: "the registry's metadata of every dependency, not the project's words",
  },
  { test: (f) => /\.(png|jpe?g|gif|ico|gz|woff2?)$/.test(f), why: 'binary' },
  {
    test: (f) => f === 'dev/house/citations.ts' || f === 'test/house/citations.test.ts',
    why: 'they spell out the citations they look for',
  },
];

/** Matches that are legitimate where they stand, and why. */
const ALLOWED: Array<{ file: RegExp; rule: CitationRule; text: RegExp; why: string }> = [
  {
    file: /^Dockerfile$/,
    rule: 'machine-path',
    text: /^\/root\/\.npm/,
    why: "the image's own npm cache, inside the container",
  },
  {
    file: /^test\/house\/historiesNameNoMachine\.test\.ts$/,
    rule: 'machine-path',
    text: /^\/(work|check)\//,
    why: 'the stack trace a recording on some machine carries, which the test shows being scrubbed',
  },
];

const CODE = /\.(ts|tsx|js|mjs|cjs)$/;
const URL = /\bhttps?:\/\/[^\s)\]'"`>]+/g;
const MARKDOWN_NAME = /(?<![\w./-])((?:\.{0,2}\/)?(?:[\w.-]+\/)*[\w-]+\.md)\b/g;
const SECTION = /§\s*(\d+)(?:\.(\d+))?/g;
/** A line that ends in a citation of docs/domain.md, whose list of sections the next line may go on with. */
const CITATION_TAIL = /domain\.md(?:\s*§\s*\d+(?:\.\d+)?\s*(?:,|and|–)?)*\s*$/;
/** The sections a line begins with (after a comment's leader): the rest of a list wrapped from the line before. */
const SECTION_HEAD = /^[\s*/#(]*§\s*\d+(?:\.\d+)?(?:\s*(?:,|and|–)\s*§\s*\d+(?:\.\d+)?)*/;
/** "issue 12", "Issue #7", "issues 13 and 14", an issue's "defects 2, 3"; not the verb ("issues 10 CNY", "issue 2 refunds"). */
const ISSUE = /\b(?:issues?|defects?)\s+#?\s*\d+(?:\s*(?:,|and)\s*#?\d+)*\b(?!\s*(?:CNY|fen|%|[a-z]))/gi;
/** This machine's folders, a person's home, a temp folder written out (code asks os.tmpdir()). */
const MACHINE_PATH = /(?<![\w.~$/-])\/(?:work|check|home|Users|root|tmp)\/[^\s'"`)\]]*/g;
const SPEC = /(?<![.\w`-])spec(?:s|'s)?\b(?![\w(]|\.\w)/gi;

export function trackedFiles(root: string): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean);
}

/** The sections of docs/domain.md: its headings `## §N` and its numbered rules `N.M`. */
export function domainSections(markdown: string): Set<string> {
  const found = new Set<string>();
  for (const m of markdown.matchAll(/^## §(\d+)\b/gm)) found.add(m[1]);
  for (const m of markdown.matchAll(/^(\d+)\.(\d+) /gm)) found.add(`${m[1]}.${m[2]}`);
  return found;
}

export function citableTree(root: string, files = trackedFiles(root)): CitableTree {
  return { files: new Set(files), sections: domainSections(readFileSync(path.join(root, 'docs/domain.md'), 'utf8')) };
}

/** Every citation of something outside the repository in the tracked files under `root`. */
export function citationFindings(root: string): CitationFinding[] {
  const files = trackedFiles(root);
  const tree = citableTree(root, files);
  return files
    .filter((file) => !SKIPPED.some((s) => s.test(file)))
    .flatMap((file) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      return text.includes('\0') ? [] : citationsInText(file, text, tree);
    });
}

/** The citations in one file's text (`file` is its path from the repository's root). */
export function citationsInText(file: string, text: string, tree: CitableTree): CitationFinding[] {
  const found: CitationFinding[] = [];
  const lines = text.split('\n');
  const add = (line: number, rule: CitationRule, match: string) => {
    if (!ALLOWED.some((a) => a.rule === rule && a.file.test(file) && a.text.test(match)))
      found.push({ file, line: line + 1, rule, text: lines[line].trim() });
  };
  lines.forEach((raw, i) => {
    const line = raw.replace(URL, (url) => ' '.repeat(url.length));
    for (const m of line.matchAll(MARKDOWN_NAME))
      if (!resolves(file, m[1], tree.files)) add(i, 'outside-document', m[1]);
    const wrapped = i > 0 && CITATION_TAIL.test(lines[i - 1]) ? (SECTION_HEAD.exec(line)?.[0].length ?? 0) : 0;
    for (const m of line.matchAll(SECTION)) {
      const inDomain = file === 'docs/domain.md' || line.slice(0, m.index).includes('domain.md') || m.index < wrapped;
      if (!inDomain) add(i, 'section-outside-domain', m[0]);
      else if (!tree.sections.has(m[2] ? `${m[1]}.${m[2]}` : m[1])) add(i, 'unknown-section', m[0]);
    }
    for (const m of line.matchAll(ISSUE)) add(i, 'issue-number', m[0]);
    for (const m of raw.matchAll(MACHINE_PATH)) add(i, 'machine-path', m[0]);
  });
  for (const { start, text: prose } of proseOf(file, text)) {
    for (const m of prose.matchAll(SPEC)) add(lineAt(text, start + m.index), 'spec-as-document', m[0]);
  }
  return found;
}

/** A `*.md` named in `file` resolves from the file's folder, the root or docs/ to a tracked file. */
function resolves(file: string, name: string, files: ReadonlySet<string>): boolean {
  const from = [path.posix.dirname(file), '.', 'docs'];
  return from.some((dir) => files.has(path.posix.normalize(path.posix.join(dir, name))));
}

function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Where a file speaks in words rather than code: in source files, the comments and the titles of
 * tests (`describe`/`it`/`test`); in any other file, all of it. "spec" is looked for there only:
 * in code it is a name (a deadline's spec, a test's `spec` fixture).
 */
function proseOf(file: string, text: string): Array<{ start: number; text: string }> {
  if (!CODE.test(file)) return [{ start: 0, text }];
  if (!new RegExp(SPEC.source, 'i').test(text)) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const parts = new Map<number, string>();
  const comments = (ranges: ts.CommentRange[] | undefined) =>
    ranges?.forEach((r) => parts.set(r.pos, text.slice(r.pos, r.end)));
  const visit = (node: ts.Node) => {
    comments(ts.getLeadingCommentRanges(text, node.pos));
    comments(ts.getTrailingCommentRanges(text, node.end));
    if (
      ts.isCallExpression(node) &&
      isTestTitle(node.expression) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      parts.set(node.arguments[0].getStart(source), node.arguments[0].getText(source));
    }
    node.getChildren(source).forEach(visit);
  };
  visit(source);
  return [...parts].map(([start, part]) => ({ start, text: part }));
}

function isTestTitle(callee: ts.Expression): boolean {
  const base = ts.isPropertyAccessExpression(callee)
    ? callee.expression
    : ts.isCallExpression(callee)
      ? callee.expression
      : callee;
  const name = ts.isPropertyAccessExpression(base) ? base.expression : base;
  return ts.isIdentifier(name) && ['describe', 'it', 'test'].includes(name.text);
}
