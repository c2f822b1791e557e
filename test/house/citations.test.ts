import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CitableTree, citationFindings, citationsInText, domainSections } from '../../dev/house/citations';

/**
 * The repository stands alone (docs/house.md): comments, tests, docs and fixtures cite the
 * project's own docs/ (domain rules as `docs/domain.md §N`), never a document kept elsewhere, an
 * issue number or a path of one machine. The samples below show what the check finds and what it
 * lets through; the last test holds every tracked file to it.
 */

const ROOT = path.resolve(__dirname, '../..');

const DOMAIN = [
  '# The domain rules',
  '## §3 Deadlines',
  '3.1 A case open longer than 3 days...',
  '3.2 Warned at 75 %.',
  '## §5 The escalation ladder',
  '5.5 Every wait has a clock.',
].join('\n');
const TREE: CitableTree = {
  files: new Set(['README.md', 'docs/domain.md', 'docs/policy.md', 'workflows/x.ts']),
  sections: domainSections(DOMAIN),
};

const rulesIn = (file: string, text: string) => citationsInText(file, text, TREE).map((f) => [f.line, f.rule]);

describe('what counts as a citation of something outside the repository', () => {
  it('reads the sections docs/domain.md has: its headings and its numbered rules', () => {
    expect([...domainSections(DOMAIN)].sort()).toEqual(['3', '3.1', '3.2', '5', '5.5']);
  });

  it('a document that is not tracked, named bare or by a path', () => {
    const text = [
      '// the HTTP contract (api.md)',
      '// complaint-handling.md §3',
      '/** docs/api.md route table */',
    ].join('\n');
    expect(rulesIn('workflows/x.ts', text)).toEqual([
      [1, 'outside-document'],
      [2, 'outside-document'],
      [2, 'section-outside-domain'],
      [3, 'outside-document'],
    ]);
  });

  it('a section sign that does not follow docs/domain.md on its line, or names a section it does not have', () => {
    const text = [
      '// §3: the first response',
      '// (docs/domain.md §3.4)',
      '// docs/domain.md §3, §5.5 and §5',
      ' * the rule (docs/domain.md §3.1,',
      ' * §3.2, §5.5): wrapped onto the next line',
      ' * (docs/domain.md',
      ' * §5): wrapped before the first section',
      ' * a rule of the sources:',
      ' * §5 is not theirs',
    ].join('\n');
    expect(rulesIn('workflows/x.ts', text)).toEqual([
      [1, 'section-outside-domain'],
      [2, 'unknown-section'],
      [9, 'section-outside-domain'],
    ]);
  });

  it('an issue number, a path of this machine, a hard-coded temp folder', () => {
    const text = [
      '// issue 18: warnings',
      '// see Issue #7',
      "const f = '/tmp/x.json';",
      '// cloned into /work/main',
      '// from /home/ana/notes',
      '// (issues 13 and 14)',
      "it('issues 10 CNY and texts it')",
      '// the gateway may issue 2 refunds',
      "describe('service hours (defects 2, 3, 6)')",
    ].join('\n');
    expect(rulesIn('scripts/x.ts', text)).toEqual([
      [1, 'issue-number'],
      [2, 'issue-number'],
      [3, 'machine-path'],
      [4, 'machine-path'],
      [5, 'machine-path'],
      [6, 'issue-number'],
      [9, 'issue-number'],
    ]);
  });

  it('"the spec" in comments, test titles and prose; a name in code is not a citation', () => {
    const code = [
      '/** Spec: the first response. */',
      'const spec = { kind: "x" };',
      'run(spec.kind, spec);',
      "it('follows the spec', () => spec);",
      '// `spec.dueMs` is the due time',
    ].join('\n');
    expect(rulesIn('test/x.test.ts', code)).toEqual([
      [1, 'spec-as-document'],
      [4, 'spec-as-document'],
    ]);
    expect(rulesIn('docs/policy.md', 'The figures are the spec’s defaults.\nThe spec.')).toEqual([
      [1, 'spec-as-document'],
      [2, 'spec-as-document'],
    ]);
  });

  it('lets through what the repository holds, public addresses and system paths', () => {
    const text = [
      '// docs/domain.md §3.2, §5.5 (see [policy](policy.md), README.md)',
      '// https://github.com/temporalio/sdk-core/blob/master/arch_docs/workflow_task_chunking.md',
      "const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-'));",
      "const chromium = '/usr/bin/chromium';",
      '// a quality issue gets a solution in 72 h',
    ].join('\n');
    expect(rulesIn('workflows/x.ts', text)).toEqual([]);
    expect(rulesIn('docs/domain.md', '3.3 As §3.1 says, and §5.5.')).toEqual([]);
    expect(rulesIn('Dockerfile', 'RUN --mount=type=cache,target=/root/.npm npm ci')).toEqual([]);
  });
});

describe('the repository', () => {
  it('cites nothing outside itself', () => {
    const findings = citationFindings(ROOT).map((f) => `${f.file}:${f.line} ${f.rule}: ${f.text}`);
    expect(findings).toEqual([]);
  });

  it('has the sections of docs/domain.md its citations point at (§1–§12)', () => {
    const headings = [...domainSections(readFileSync(path.join(ROOT, 'docs/domain.md'), 'utf8'))].filter(
      (s) => !s.includes('.'),
    );
    expect(headings).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
  });
});
