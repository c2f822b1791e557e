import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * No wait without a clock (docs/domain.md §5.5): workflow code waits for a person only through a
 * deadline (awaitDeadline in workflows/deadlines.ts, or a timed condition), which names who must act
 * and climbs its ladder. A bare `condition(fn)` (no timeout) waits for ever; each one left in
 * workflows/ is listed here with why it does not wait on a person. A new one fails this test until it
 * gets a clock or a reason. The frozen generation (workflows/legacy/) replays old runs as they were.
 */

const WORKFLOWS = path.resolve(__dirname, '../../workflows');

/** `file:enclosing function` → why this untimed wait is not a wait on a person. */
const UNTIMED_WAITS: Record<string, string> = {
  'complaint.ts:complaintWorkflow':
    'the continue-as-new trigger (history size), raced against the stage, which runs its own clocks',
  'complaint.ts:finishBackground': 'handlers and outside calls in flight finishing; each call has its own timeouts',
  'deadlines.ts:waitOutPause':
    'a paused deadline waits for the pause to lift; the pause itself runs on its own clock (the evidence window)',
  'deadlines.ts:climb':
    'older runs (before the daily report after the top rung) replay their silence here; new runs report daily',
  'execution.ts:waitFor':
    "follows the step's deadline, which reports daily after its ladder until the step moves or is called off",
  'execution.ts:waitOnParty':
    "the same wait as waitFor, during which the run may continue as new: follows the step's deadline",
  'execution.ts:onlyWaiting':
    'a run that decided to continue as new stops its execution here for good; the next run resumes it',
  'group.ts:complaintGroupWorkflow':
    'the group counter waits for its own alerts in flight (best effort, each with its timeouts)',
  'group.ts:until':
    "the group counter's wait for its next member, woken by the timer it starts beside it for its oldest member's expiry",
  'projection.ts:keepProjectionCurrent':
    'the projection writer waits for the next change of the case; no person is involved',
  'projection.ts:taskSettled':
    "waits for the current workflow task's own continuations to run, before the projection is written; no person is involved",
};

interface Wait {
  at: string;
  key: string;
}

function enclosingFunction(node: ts.Node): string {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name) return n.name.getText();
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent))
      return n.parent.name.getText();
  }
  return '(module)';
}

/** Every `condition(...)` call without a timeout in the live workflow code, and any renamed import of it. */
function untimedWaits(): { waits: Wait[]; aliases: string[] } {
  const waits: Wait[] = [];
  const aliases: string[] = [];
  for (const file of readdirSync(WORKFLOWS).filter((f) => f.endsWith('.ts'))) {
    const source = ts.createSourceFile(
      file,
      readFileSync(path.join(WORKFLOWS, file), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const visit = (node: ts.Node): void => {
      if (ts.isImportSpecifier(node) && (node.propertyName ?? node.name).getText() === 'condition' && node.propertyName)
        aliases.push(`${file}: ${node.getText()}`);
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'condition' &&
        node.arguments.length < 2
      ) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        waits.push({ at: `${file}:${line}`, key: `${file}:${enclosingFunction(node)}` });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { waits, aliases };
}

it('every untimed wait in workflows/ is one the list explains; none waits on a person without a clock', () => {
  const { waits, aliases } = untimedWaits();
  expect(aliases).toEqual([]);
  expect(waits.filter((w) => !(w.key in UNTIMED_WAITS)).map((w) => `${w.at} in ${w.key}`)).toEqual([]);
});

it('the list names only waits that exist (a wait given a clock leaves it)', () => {
  const keys = new Set(untimedWaits().waits.map((w) => w.key));
  expect(Object.keys(UNTIMED_WAITS).filter((k) => !keys.has(k))).toEqual([]);
});

it('finds a bare wait on a person where one is written (the check can fail)', () => {
  const source = ts.createSourceFile(
    'x.ts',
    'async function awaitCustomer(c) { await condition(() => c.shipped); }',
    ts.ScriptTarget.Latest,
    true,
  );
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'condition' &&
      node.arguments.length < 2
    )
      found.push(enclosingFunction(node));
    ts.forEachChild(node, visit);
  };
  visit(source);
  expect(found).toEqual(['awaitCustomer']);
  expect('x.ts:awaitCustomer' in UNTIMED_WAITS).toBe(false);
});
