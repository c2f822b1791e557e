import type { UpdateDefinition } from '@temporalio/common';
import { log, setHandler, workflowInfo } from '@temporalio/workflow';
import { type CaseAction, reachesCase, roleMayAct } from '../shared/access';
import type { Status } from '../shared/domain';
import type { Actor } from '../shared/intake';
import { checkWording } from '../shared/wording';
import { type Case, refuse } from './case';

/**
 * What every action checks before anything reaches history, and the shape of an action: an update
 * whose validator runs the actor check and then the action's own guard. The API turns each refusal
 * code into 403/404/409/422.
 */

/** Defense in depth: the API's role table again (shared/access.ts), and a customer or merchant acts on its own case only. */
export function requireActor(c: Case, action: CaseAction, actor: Actor): void {
  if (!roleMayAct(actor.role, action)) refuse('forbidden', `a ${actor.role} may not ${action}`);
  if (!reachesCase(actor, c.view)) refuse('not_found', 'no such complaint');
}

export function requireOpen(c: Case): void {
  if (c.closed) refuse('case_closed', `${c.view.complaintId} is closed`);
}

/** "agent (owner)" in the role table (test/fixtures/access.json): an agent acts only on the cases they own. */
export function requireOwner(c: Case, actor: Actor): void {
  requireOpen(c);
  if (actor.role === 'agent' && c.view.owner !== actor.sub)
    refuse('not_owner', `${c.view.complaintId} is owned by ${c.view.owner ?? 'nobody'}`);
}

export function requireStage(c: Case, ...allowed: Status[]): void {
  if (!allowed.includes(c.view.status))
    refuse('wrong_stage', `${c.view.complaintId} is ${c.view.status}; this action needs ${allowed.join(' or ')}`);
}

/**
 * An action that reaches the case after the case moved in a way no completed workflow task has
 * written yet (a result or a timer changed it earlier in the same task, or while a worker answered a
 * query) is refused for now, 503: accepted there, a replay would run it before that move and the
 * case's history would not replay (docs/determinism.md). Validators do not run in a replay, and a
 * refused update leaves no trace, so this decides nothing a replay must repeat. The caller sends it
 * again and it lands in the next task.
 */
export function requireSettled(c: Case): void {
  if (!c.movedSinceLastTask) return;
  // Counted in the reliability run's worker logs (docs/determinism.md).
  log.warn('action refused: the case moved since the last completed workflow task', {
    complaintId: c.view.complaintId,
    historyLength: workflowInfo().historyLength,
  });
  refuse('unavailable', `${c.view.complaintId} is between two steps; send the action again`);
}

/** Text that reaches the customer passes the outgoing-wording check (docs/domain.md §10.4). */
export function requireWording(text: string): void {
  const verdict = checkWording(text);
  if (!verdict.ok) refuse('forbidden_wording', `wording not allowed: ${verdict.phrases.join(', ')}`);
}

/** One action: its update, what it requires of the case beyond the actor check, and what it does. */
export interface CaseActionSpec<In extends { actor: Actor }, Out, Deps> {
  update: UpdateDefinition<Out, [In]>;
  guard: (c: Case, input: In) => void;
  handle: (c: Case, input: In, deps: Deps) => Out;
}

/** Registers a table of actions on the case, in table order. */
export function registerTable<Deps>(c: Case, deps: Deps, table: ReadonlyArray<(c: Case, deps: Deps) => void>): void {
  for (const register of table) register(c, deps);
}

/** An action for the table: the update's name is the action's name in the role table. */
export function caseAction<In extends { actor: Actor }, Out, Deps>(
  spec: CaseActionSpec<In, Out, Deps>,
): (c: Case, deps: Deps) => void {
  return (c, deps) =>
    setHandler(
      spec.update,
      (input: In) => {
        c.acting++;
        try {
          return spec.handle(c, input, deps);
        } finally {
          c.acting--;
        }
      },
      {
        validator: (input: In) => {
          requireSettled(c);
          requireActor(c, spec.update.name as CaseAction, input.actor);
          spec.guard(c, input);
        },
      },
    );
}
