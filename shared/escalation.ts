/**
 * The escalation ladder (docs/domain.md §5), by EscalationLevel. Kept apart from the zod vocabulary of
 * domain.ts because workflow code needs it at run time, and every module a workflow imports is
 * evaluated again for each workflow in the worker's cache.
 */
export const ESCALATION_ROLES = ['agent', 'supervisor', 'ops_manager'] as const;

/** The operations manager's rung: a miss here alerts them again instead of climbing. */
export const TOP_RUNG = 2 as const;

/** The rung above `level`, never past the top. */
export function nextRung(level: number): 0 | 1 | 2 {
  return Math.min(TOP_RUNG, level + 1) as 0 | 1 | 2;
}

/** The priority reasons (shared/classification.ts) that make a case a crisis (docs/domain.md §5.4, §2.2). */
const CRISIS_REASONS = ['personal_safety:', 'media_or_regulator:'];

/** A crisis runs on the clock, day and night: personal safety, media or regulator involvement, a threat of exposure. */
export function isCrisis(view: { priority: string; priorityReasons: readonly string[] }): boolean {
  return view.priority === 'high' && view.priorityReasons.some((r) => CRISIS_REASONS.some((p) => r.startsWith(p)));
}

/** Who answers for operations at `ms`: the rota's shift holding it, else the operations manager's role queue. */
export function onCallAt(
  rota: ReadonlyArray<{ from: string; to: string; person: string }> | undefined,
  ms: number,
): string {
  const shift = rota?.find((s) => Date.parse(s.from) <= ms && ms < Date.parse(s.to));
  return shift?.person ?? 'ops_manager';
}
