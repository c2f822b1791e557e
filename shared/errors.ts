/**
 * One error vocabulary from workflow to HTTP. Workflow validators refuse with an
 * ApplicationFailure whose `type` is one of these codes; the API maps the code to a status here.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_owner: 403,
  not_found: 404,
  /** A documented path asked with a method it does not answer (the answer lists those it does, in `Allow`). */
  method_not_allowed: 405,
  wrong_stage: 409,
  case_closed: 409,
  deadline_passed: 409,
  /** A signed request received before (a carrier event's id seen again). */
  replayed: 409,
  /** A policy version published already cannot be published again. */
  already_published: 409,
  /** A policy draft made from a version that another published version has replaced since. */
  stale_draft: 409,
  /** A supplier flag is reviewed once: suspend or keep. */
  already_decided: 409,
  policy_refused: 422,
  amount_exceeds_paid: 422,
  forbidden_wording: 422,
  unknown_order: 422,
  /** A root-cause fix names cases that do not exist, none, or more than one fix may concern (docs/domain.md §9.6). */
  unknown_cases: 422,
  no_cases: 422,
  too_many_cases: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * How a query fails when a worker that does not hold the case would have run it ahead on events no
 * workflow task has written (workflows/activations.ts, docs/determinism.md): the same query succeeds
 * a moment later.
 */
export const QUERY_RUN_AHEAD_REFUSED = 'query run-ahead refused';

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_STATUS;
}
