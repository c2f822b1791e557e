/**
 * The escalation ladder by EscalationLevel, frozen for generation 2 (a copy of shared/escalation.ts's
 * ESCALATION_ROLES): who each rung of a generation-2 case alerts must not move with the live ladder.
 */
export const ESCALATION_ROLES = ['agent', 'supervisor', 'ops_manager'] as const;
