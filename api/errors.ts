import {
  isGrpcServiceError,
  QueryNotRegisteredError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ERROR_STATUS, isErrorCode, QUERY_RUN_AHEAD_REFUSED, type ErrorCode } from '../shared/errors';
import { issueDetails, type ErrorDetail } from './validate';

/**
 * The one place where an error becomes an HTTP answer `{ error: { code, message, details } }`.
 * A caller's mistake is recognised first; only what nothing here recognises is a 500, logged.
 */

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly complaintId?: string,
    /** What went wrong underneath, for the log only; callers see `message`. */
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe(`one of: ${[...Object.keys(ERROR_STATUS), 'internal'].join(', ')}`),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
    complaintId: z.string().optional(),
    requestId: z.string().optional(),
  }),
});
type ErrorBody = z.infer<typeof ErrorBody>['error'];

interface Answer {
  status: number;
  body: Omit<ErrorBody, 'requestId'>;
  /**
   * A 503 after which nothing was changed for certain: sent as `Retry-After`, so a caller (the
   * console) may send the same request again. Left out where an update may still be taken (its
   * answer timed out), since a resend would be a second action.
   */
  retryAfterS?: number;
}

const answer = (code: ErrorCode, message: string, details: ErrorDetail[] = [], complaintId?: string): Answer => ({
  status: ERROR_STATUS[code],
  body: { code, message, details, ...(complaintId ? { complaintId } : {}) },
});

/** gRPC codes meaning "Temporal could not be reached or did not answer in time": retrying later may work. */
// CANCELLED is how the client reports its own read deadline passing under load (seen in `npm run demo`).
const GRPC_UNAVAILABLE = new Set([
  1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */,
]);
/** Of those, the server refused or was never reached: the request changed nothing. A deadline that passed may have left an update to be taken. */
const GRPC_REFUSED = new Set([8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);
/** The pause a `Retry-After` asks for. */
const RESEND_AFTER_S = 1;
const resendable = (a: Answer): Answer => ({ ...a, retryAfterS: RESEND_AFTER_S });

const GRPC_FAILED_PRECONDITION = 9;

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

const MONGO_UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

function mongoUnavailable(err: Error): boolean {
  // Mongoose reports a command it queued while disconnected as a plain MongooseError.
  return MONGO_UNAVAILABLE.has(err.name) || (err.name === 'MongooseError' && /buffering timed out/.test(err.message));
}

/**
 * Body-parser marks what it could not read (malformed JSON, too large, bad charset) with a 4xx
 * status and a `type`; a body that does not inflate as its Content-Encoding says comes as zlib's own
 * error, marked only with the status and `expose`.
 */
function unreadableBody(err: unknown): err is Error & { status: number } {
  const { status, type, expose } = (err ?? {}) as { status?: unknown; type?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && (typeof type === 'string' || expose === true);
}

/** The router could not percent-decode a path parameter (`%ZZ`, a lone `%`) and marked it 400. */
function undecodablePath(err: unknown): err is URIError {
  return err instanceof URIError && (err as { status?: unknown }).status === 400;
}

const FailureDetail = z.object({ path: z.string(), message: z.string() });

function fromFailure(failure: unknown, complaintId?: string): Answer | null {
  if (!(failure instanceof ApplicationFailure) || !isErrorCode(failure.type)) return null;
  // A validator may name the field it refused, as `{ path, message }` details.
  const details = (failure.details ?? []).flatMap((d) => {
    const parsed = FailureDetail.safeParse(d);
    return parsed.success ? [parsed.data] : [];
  });
  return answer(failure.type, failure.message, details, complaintId);
}

/** A query the workflow refused to answer on events no task has written yet (shared/errors.ts). */
export function queryRunAheadRefused(err: unknown): boolean {
  return err instanceof QueryNotRegisteredError && err.message.includes(QUERY_RUN_AHEAD_REFUSED);
}

export function toAnswer(err: unknown, complaintId?: string): Answer | null {
  const known = knownAnswer(err, complaintId);
  // The workflow's validator, or our own check, refused for now: nothing was written.
  if (
    known?.body.code === 'unavailable' &&
    (err instanceof ApiError || err instanceof WorkflowUpdateFailedError || err instanceof ApplicationFailure)
  )
    return resendable(known);
  return known;
}

function knownAnswer(err: unknown, complaintId?: string): Answer | null {
  if (err instanceof ApiError) return answer(err.code, err.message, err.details, err.complaintId ?? complaintId);
  if (err instanceof z.ZodError)
    return answer('invalid_request', 'the request is invalid', issueDetails(err), complaintId);
  if (unreadableBody(err))
    return answer('invalid_request', `the body could not be read: ${err.message}`, [
      { path: '(body)', message: err.message },
    ]);
  if (undecodablePath(err))
    return answer('invalid_request', 'the path could not be decoded', [{ path: '(path)', message: err.message }]);
  // An update's validator (or handler) refused: its failure type is the error code.
  if (err instanceof WorkflowUpdateFailedError) return fromFailure(err.cause, complaintId);
  const failure = fromFailure(err, complaintId);
  if (failure) return failure;
  if (err instanceof WorkflowNotFoundError)
    return answer('not_found', `no complaint ${err.workflowId}`, [], complaintId);
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return answer(
      'case_closed',
      'the case closed while this request was made; submit again to open a repeat complaint',
      [],
      complaintId,
    );
  }
  if (queryRunAheadRefused(err))
    return resendable(
      answer('unavailable', 'the case is being rebuilt by its worker; nothing was changed, try again', [], complaintId),
    );
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return answer('unavailable', 'the case did not answer in time; try again', [], complaintId);
  }
  const code = grpcCode(err);
  if (code !== undefined && GRPC_REFUSED.has(code))
    return resendable(answer('unavailable', 'Temporal is unreachable; nothing was changed', [], complaintId));
  if (code !== undefined && GRPC_UNAVAILABLE.has(code))
    return answer('unavailable', 'Temporal is unreachable; nothing was changed', [], complaintId);
  // Temporal's WorkflowNotReady: the case's workflow task failed or timed out several times in a row
  // (a worker restarting on a busy machine, or a task the case doctor will mend), so Temporal refuses
  // updates and queries at once. The same request succeeds once a worker completes a task again.
  if (code === GRPC_FAILED_PRECONDITION)
    return resendable(
      answer(
        'unavailable',
        'the case cannot take requests right now (its worker is catching up); nothing was changed, try again',
        [],
        complaintId,
      ),
    );
  if (err instanceof Error && mongoUnavailable(err))
    return resendable(answer('unavailable', 'the database is unreachable; nothing was changed', [], complaintId));
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const complaintId = res.locals.complaintId;
    const requestId = typeof req.id === 'string' ? req.id : undefined;
    const known = toAnswer(err, complaintId);
    if (known && known.status >= 500) (req.log ?? logger).warn({ err, complaintId }, known.body.message);
    if (known) {
      if (known.retryAfterS !== undefined) res.setHeader('Retry-After', String(known.retryAfterS));
      res.status(known.status).json({ error: { ...known.body, ...(requestId ? { requestId } : {}) } });
      return;
    }
    (req.log ?? logger).error({ err, complaintId }, 'request failed');
    res.status(500).json({
      error: {
        code: 'internal',
        message: `internal error; quote request ${requestId ?? 'id unknown'}`,
        details: [],
        ...(complaintId ? { complaintId } : {}),
        ...(requestId ? { requestId } : {}),
      },
    });
  };
}

const OPERATION_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What no route answered: 405 with `Allow` when the contract documents the path under other
 * methods (RFC 9110; the outside check asks paths with undeclared methods), else 404.
 * `paths`: the OpenAPI document's paths, `{id}`-style parameters matching one path segment.
 */
export function routeNotFound(paths: Record<string, object | undefined>): RequestHandler {
  const documented = Object.entries(paths).map(([template, operations]) => ({
    pattern: new RegExp(
      `^${template
        .split(/\{[^}/]+\}/)
        .map(escapeRegExp)
        .join('[^/]+')}/?$`,
    ),
    methods: Object.keys(operations ?? {})
      .filter((m) => OPERATION_METHODS.has(m))
      .map((m) => m.toUpperCase()),
  }));
  return (req, res, next) => {
    const methods = [...new Set(documented.filter((d) => d.pattern.test(req.path)).flatMap((d) => d.methods))];
    if (methods.length > 0 && !methods.includes(req.method)) {
      // Express answers HEAD wherever it answers GET.
      const allow = methods.includes('GET') && !methods.includes('HEAD') ? [...methods, 'HEAD'] : methods;
      res.setHeader('Allow', allow.join(', '));
      next(new ApiError('method_not_allowed', `${req.method} is not answered at ${req.path}; ${allow.join(', ')} are`));
      return;
    }
    next(new ApiError('not_found', `no route ${req.method} ${req.path}`));
  };
}
