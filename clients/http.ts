import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import pino, { type Logger } from 'pino';
import { Pool } from 'undici';
import { z } from 'zod';

/**
 * The one HTTP client every provider adapter uses: keep-alive connections, a deadline per call,
 * JSON in and out, and two error types that say whether trying again can help.
 */

/** What an adapter factory takes: where the provider is and how to prove who we are. */
export interface ProviderConfig {
  baseUrl: string;
  apiKey: string;
  /** Per-call deadline; each adapter has a default a little under its activity's startToClose. */
  timeoutMs?: number;
  logger?: Logger;
}

export interface HttpClientConfig extends ProviderConfig {
  timeoutMs: number;
  /** The provider's name in errors and logs. */
  name: string;
}

export interface RequestOptions {
  /** Carried into errors and logs. */
  complaintId?: string;
  idempotencyKey?: string;
}

/** The provider answered and said no (4xx); trying again with the same request will not help. */
export class ProviderRejected extends Error {
  override readonly name = 'ProviderRejected';
  constructor(
    readonly provider: string,
    readonly status: number,
    /** The provider's business code (`declined`, `unknown_order`, …), or `http_<status>` when it gave none. */
    readonly code: string,
    readonly complaintId: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The provider could not be reached or did not answer properly (5xx, 408/429, timeout, broken connection). */
export class ProviderUnavailable extends Error {
  override readonly name = 'ProviderUnavailable';
  constructor(
    readonly provider: string,
    readonly complaintId: string | undefined,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface HttpClient {
  get<S extends z.ZodType>(path: string, schema: S, opts?: RequestOptions): Promise<z.output<S>>;
  post<S extends z.ZodType>(path: string, body: unknown, schema: S, opts?: RequestOptions): Promise<z.output<S>>;
  put<S extends z.ZodType>(path: string, body: unknown, schema: S, opts?: RequestOptions): Promise<z.output<S>>;
  delete<S extends z.ZodType>(path: string, schema: S, opts?: RequestOptions): Promise<z.output<S>>;
  close(): Promise<void>;
}

const ErrorBody = z.union([
  z.object({ code: z.string(), message: z.string().optional() }),
  z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) }).transform((b) => b.error),
]);

/** Statuses that mean "later": the provider is busy, not refusing. */
const RETRY_LATER = new Set([408, 425, 429]);

export function createHttpClient(cfg: HttpClientConfig): HttpClient {
  const base = new URL(cfg.baseUrl);
  const prefix = base.pathname.replace(/\/$/, '');
  const pool = new Pool(base.origin, { keepAliveTimeout: 30_000, connections: 32 });
  const logger = (cfg.logger ?? pino({ level: 'info' })).child({ provider: cfg.name });

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    schema: S,
    opts: RequestOptions = {},
  ): Promise<z.output<S>> {
    const { complaintId, idempotencyKey } = opts;
    const where = `${cfg.name} ${method} ${path}${complaintId ? ` (complaint ${complaintId})` : ''}`;
    const headers: Record<string, string> = { 'x-api-key': cfg.apiKey, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    // Inside an activity, a cancelled or timed-out attempt also abandons its request.
    const activitySignal = asyncLocalStorage.getStore()?.cancellationSignal;
    const deadline = AbortSignal.timeout(cfg.timeoutMs);
    const signal = activitySignal ? AbortSignal.any([deadline, activitySignal]) : deadline;
    const started = performance.now();
    const log = logger.child({ complaintId, method, path });

    let status: number;
    let payload: unknown;
    try {
      const res = await pool.request({
        method,
        path: prefix + path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      status = res.statusCode;
      payload = parseJson(await res.body.text());
    } catch (err) {
      if (activitySignal?.aborted) throw activitySignal.reason;
      const ms = Math.round(performance.now() - started);
      const reason = deadline.aborted ? `no answer within ${cfg.timeoutMs} ms` : (err as Error).message;
      log.warn({ ms, err }, 'provider unreachable');
      throw new ProviderUnavailable(cfg.name, complaintId, `${where}: ${reason}`, undefined, { cause: err });
    }
    const ms = Math.round(performance.now() - started);

    if (status >= 200 && status < 300) {
      const parsed = schema.safeParse(payload);
      // A malformed success is the provider misbehaving, not refusing; a later attempt may be answered properly.
      if (!parsed.success) {
        log.warn({ ms, status, issues: parsed.error.issues }, 'provider answer malformed');
        throw new ProviderUnavailable(
          cfg.name,
          complaintId,
          `${where}: malformed answer: ${z.prettifyError(parsed.error)}`,
          status,
        );
      }
      log.debug({ ms, status }, 'provider call');
      return parsed.data;
    }
    const refusal = ErrorBody.safeParse(payload);
    const code = refusal.success ? refusal.data.code : `http_${status}`;
    const detail = refusal.success && refusal.data.message ? `: ${refusal.data.message}` : '';
    if (status >= 400 && status < 500 && !RETRY_LATER.has(status)) {
      log.info({ ms, status, code }, 'provider refused');
      throw new ProviderRejected(cfg.name, status, code, complaintId, `${where}: ${status} ${code}${detail}`);
    }
    log.warn({ ms, status, code }, 'provider failed');
    throw new ProviderUnavailable(cfg.name, complaintId, `${where}: ${status} ${code}${detail}`, status);
  }

  return {
    get: (path, schema, opts) => call('GET', path, undefined, schema, opts),
    post: (path, body, schema, opts) => call('POST', path, body, schema, opts),
    put: (path, body, schema, opts) => call('PUT', path, body, schema, opts),
    delete: (path, schema, opts) => call('DELETE', path, undefined, schema, opts),
    close: () => pool.close(),
  };
}

/** A body that is not JSON (a proxy's HTML error page, say) reads as no body. */
function parseJson(raw: string): unknown {
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns an adapter's error into what Temporal should do with it: a refusal named in `refusals`
 * becomes a non-retryable failure of that type, any other refusal a non-retryable
 * `ProviderRejected`; everything else is rethrown as is, so Temporal retries it with backoff.
 */
export function toActivityError(err: unknown, refusals: readonly string[], details: Record<string, unknown>): unknown {
  if (!(err instanceof ProviderRejected)) return err;
  return ApplicationFailure.create({
    type: refusals.includes(err.code) ? err.code : 'ProviderRejected',
    message: err.message,
    nonRetryable: true,
    details: [{ ...details, provider: err.provider, status: err.status, code: err.code }],
  });
}
