/**
 * The escalation ladder (spec §3), by EscalationLevel. Kept apart from the zod vocabulary of
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
