/**
 * The escalation ladder (spec §3), by EscalationLevel. Kept apart from the zod vocabulary of
 * domain.ts because workflow code needs it at run time, and every module a workflow imports is
 * evaluated again for each workflow in the worker's cache.
 */
export const ESCALATION_ROLES = ['agent', 'supervisor', 'ops_manager'] as const;
