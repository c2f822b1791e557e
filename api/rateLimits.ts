import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { MongoRateLimitStore } from '../store/rateLimits';
import { callerOf } from './auth';
import { ApiError } from './errors';

/**
 * Every rate limit of the API (docs/api-limits.md), in one place. Before anybody is known, limits
 * count per client address: a caller who sends no bearer token, or a bad one, or hammers readiness
 * or the dev sign-in, is slowed down before any backend is asked. Once a token is verified, the
 * limit counts per caller instead (many agents share an office's address; one script may use many).
 * Counts are kept in MongoDB (store/rateLimits.ts), so all API processes behind a balancer share
 * one allowance per address or caller.
 */

type Limits = Pick<
  Config,
  | 'API_RATE_LIMIT_PER_MINUTE'
  | 'API_RATE_LIMIT_PER_ADDRESS'
  | 'API_AUTH_FAILURES_PER_ADDRESS'
  | 'API_READYZ_PER_ADDRESS'
  | 'API_DEV_TOKENS_PER_ADDRESS'
  | 'API_RATE_LIMIT_WINDOW_S'
  | 'API_RATE_LIMIT_STORE_TIMEOUT_MS'
>;

interface Counting {
  /** The API's MongoDB connection, where the counts are kept. */
  connection: Connection;
  logger: Logger;
}

function limiter(
  config: Limits,
  counting: Counting,
  limit: number,
  what: string,
  options: Partial<Options> & { identifier: string },
): RequestHandler {
  const seconds = config.API_RATE_LIMIT_WINDOW_S;
  const { identifier } = options;
  return rateLimit({
    windowMs: seconds * 1000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new ApiError('rate_limited', `more than ${limit} ${what} in ${seconds} s; slow down`));
    },
    store: new MongoRateLimitStore(counting.connection, `${identifier}:`, config.API_RATE_LIMIT_STORE_TIMEOUT_MS),
    // Fail open: with MongoDB away, every route that needs it already answers 503 and case reads and
    // actions (Temporal) still work; a limiter that failed each request would take the whole API down
    // with its counter. A flood meanwhile goes uncounted: the warning says so.
    passOnStoreError: true,
    logger: {
      error: (err, message) =>
        counting.logger.warn({ err, limit: identifier }, `rate limit not counted: ${message ?? 'store error'}`),
      warn: (err, message) => counting.logger.warn({ err, limit: identifier }, `rate limit: ${message ?? 'warning'}`),
    },
    ...options,
  });
}

/** A bearer route called with a token: the per-caller limit and the rejected-credentials limit judge it. */
function carriesBearer(req: Request): boolean {
  return (
    req.path.startsWith('/v1/') &&
    !req.path.startsWith('/v1/carrier-events') &&
    /^bearer\s/i.test(req.get('authorization') ?? '')
  );
}

export function createRateLimits(config: Limits, counting: Counting) {
  return {
    /** App-wide, first: every request that does not carry a bearer token to a bearer route. */
    perAddress: limiter(
      config,
      counting,
      config.API_RATE_LIMIT_PER_ADDRESS,
      'requests without a bearer token from this address',
      {
        identifier: 'address',
        skip: carriesBearer,
      },
    ),
    /**
     * Before a token or a carrier's signature is checked: only the answers that refused the
     * credentials (401) count, so a flood of guesses stops here while good callers never feel it.
     */
    authFailures: limiter(
      config,
      counting,
      config.API_AUTH_FAILURES_PER_ADDRESS,
      'refused credentials from this address',
      {
        identifier: 'auth-failures',
        skipSuccessfulRequests: true,
        requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      },
    ),
    /** Readiness asks Temporal and MongoDB on every hit. */
    readyz: limiter(config, counting, config.API_READYZ_PER_ADDRESS, 'readiness checks from this address', {
      identifier: 'readyz',
    }),
    /** The dev sign-in signs a token per hit (development mode only). */
    devTokens: limiter(config, counting, config.API_DEV_TOKENS_PER_ADDRESS, 'dev sign-ins from this address', {
      identifier: 'dev-token',
    }),
    /** After authentication: per caller, whatever their address. */
    perCaller: limiter(config, counting, config.API_RATE_LIMIT_PER_MINUTE, 'requests from this caller', {
      identifier: 'caller',
      keyGenerator: (_req, res) => {
        const { role, sub } = callerOf(res);
        return `${role}:${sub}`;
      },
    }),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
