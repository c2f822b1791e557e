import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SlaPolicy } from '../shared/policy';

/**
 * Every process's configuration, parsed once from the environment at start-up. The defaults run
 * the embedded stack of `npm start` on one machine.
 */
const port = z.coerce.number().int().min(0).max(65535);

const DEV_JWT_SECRET = 'dev-only-secret-change-me-in-production';
/** The embedded stack's carrier secret: the sandbox signs its carrier events with it. */
export const DEV_CARRIER_SECRET = 'dev-only-carrier-secret-change-me';
/** The dev stack's token issuer and audience; a real identity provider's go in JWT_ISSUER and JWT_AUDIENCE. */
export const DEV_JWT_ISSUER = 'complaint-platform-dev';
export const DEV_JWT_AUDIENCE = 'complaints-api';

const EnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('.data'),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('complaints'),
  TEMPORAL_UI_PORT: port.default(8233),

  MONGODB_URI: z.string().default('mongodb://127.0.0.1:27017/complaints'),

  API_PORT: port.default(3000),
  /**
   * `1` only on a developer's machine (npm start, the tests, the bench): the dev secrets and the
   * console's dev sign-in work, and the API listens on loopback only. Anything else is a deployment,
   * whatever NODE_ENV says: it needs real secrets and mints no tokens.
   */
  COMPLAINT_DEV_MODE: z
    .enum(['0', '1'])
    .default('0')
    .transform((v) => v === '1'),
  /** Where the API listens; unset: loopback in development mode, every interface otherwise (a deployment is reached by others). */
  API_HOST: z.string().min(1).optional(),
  /** HS256 secret for bearer tokens; the default is for development mode only, and the API refuses it otherwise. */
  JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
  /**
   * The secret JWT_SECRET replaced, still accepted (never used to sign) while the tokens it signed
   * run out: set it to the old secret when rotating, and drop it once JWT_MAX_TOKEN_AGE_S has passed.
   */
  JWT_PREVIOUS_SECRET: z.string().min(16).optional(),
  /** The longest a token may live, from its `iat`: a token signed to live longer is refused outright (12 h: one shift). */
  JWT_MAX_TOKEN_AGE_S: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 3600),
  /** How far the API's clock and the issuer's may disagree when `exp`, `iat` and `nbf` are checked. */
  JWT_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(30),
  /** Who issues the bearer tokens (`iss`) and for whom (`aud`): a token from another issuer or for another API is refused. */
  JWT_ISSUER: z.string().min(1).default(DEV_JWT_ISSUER),
  JWT_AUDIENCE: z.string().min(1).default(DEV_JWT_AUDIENCE),
  /**
   * Each carrier's HMAC secret for POST /v1/carrier-events, as `CARRIER=secret` pairs separated by
   * commas; `*` is any carrier. The default is for the embedded stack only, refused in production.
   */
  CARRIER_SECRETS: z
    .string()
    .default(`*=${DEV_CARRIER_SECRET}`)
    .transform((text, ctx) => {
      const pairs = text
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const);
      if (pairs.some(([carrier, secret]) => !carrier || secret.length < 16))
        ctx.addIssue({ code: 'custom', message: 'expected CARRIER=secret pairs, each secret at least 16 characters' });
      return Object.fromEntries(pairs);
    }),
  /** Requests one authenticated caller (role and sub) may make per window, on every bearer route. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /**
   * Limits before anybody is known, per client address and window (docs/api-limits.md): every
   * request that carries no bearer identity (health, console files, carrier events, a /v1 call
   * without a token), rejected credentials (401: a bad token, a bad carrier signature), and the
   * routes that cost the most per hit: readiness (two backend calls) and the dev sign-in.
   */
  API_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(1200),
  API_AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  API_READYZ_PER_ADDRESS: z.coerce.number().int().positive().default(120),
  API_DEV_TOKENS_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  /** The window every rate limit counts over, in seconds; the limits above are per window. */
  API_RATE_LIMIT_WINDOW_S: z.coerce.number().int().positive().default(60),
  /**
   * How long a request waits for its rate-limit count in MongoDB; past that (MongoDB away or slow)
   * it goes through uncounted, with a warning in the log.
   */
  API_RATE_LIMIT_STORE_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
  /**
   * Express's `trust proxy` (https://expressjs.com/en/guide/behind-proxies.html): unset, the client
   * address is the socket's; behind a load balancer set the number of proxies in front (e.g. `1`),
   * or every caller would share the balancer's address and its limits.
   */
  API_TRUST_PROXY: z.coerce.number().int().min(0).default(0),

  SANDBOX_PORT: port.default(3100),
  /** 127.0.0.1 on one machine; 0.0.0.0 in a container that others reach. */
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_DATA_FILE: z.string().optional(),
  PAYMENT_URL: z.url().default('http://127.0.0.1:3100'),
  SMS_URL: z.url().default('http://127.0.0.1:3100'),
  CARRIER_URL: z.url().default('http://127.0.0.1:3100'),
  MERCHANT_URL: z.url().default('http://127.0.0.1:3100'),
  ORDERS_URL: z.url().default('http://127.0.0.1:3100'),
  /** Sent as the provider credential; the sandbox accepts the default. */
  PROVIDER_API_KEY: z.string().default('sandbox-key'),

  WORKER_METRICS_PORT: port.default(9464),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  /**
   * Workflow tasks a worker takes at once. They all run on one workflow thread, so a task taken
   * beyond what that thread finishes within Temporal's 10 s task timeout only waits in the worker
   * and times out there; left on the server it waits without a clock. The SDK's default of 40 made
   * a restarted worker on a busy machine replay 40 cold cases at once, time every one of them out,
   * and start again (the reliability run's worker-kill trial).
   */
  WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).default(4),
  /** Threads that run workflow code (the SDK's `workflowThreadPoolSize`); each has its own V8 context and share of the sticky cache. */
  WORKER_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(16).default(1),
  /**
   * Cases kept in the worker's sticky cache (the SDK's `maxCachedWorkflows`); a case not in it is
   * replayed from its history at its next task. Unset: the SDK's default from the Node heap limit
   * (about 600 per GiB). Each cached case cost 0.5–0.8 MiB of worker memory in the bench.
   */
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(2).optional(),
  /** A pre-built workflow bundle (tests, images); without it the worker bundles workflows/ at start. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  /** The case doctor's round (workflows/doctor.ts); 0 leaves the doctor unstarted. */
  CASE_DOCTOR_EVERY_S: z.coerce.number().min(0).default(30),
  /** How many attempts in a row a workflow task must fail before the doctor calls its workflow stuck. */
  CASE_DOCTOR_MIN_ATTEMPTS: z.coerce.number().int().min(2).default(3),
  COMPLAINT_POLICY_FILE: z.string().optional(),
});

export type Config = z.infer<typeof EnvSchema> & { policy: SlaPolicy };

export class ConfigError extends Error {}

function describe(error: z.ZodError, source: string): string {
  return error.issues.map((i) => `${source}: ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** Reads the policy file, if any, over the policy's defaults; a bad file names the field at fault. */
export function loadPolicy(file: string | undefined): SlaPolicy {
  if (!file) return SlaPolicy.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`COMPLAINT_POLICY_FILE ${file}: ${(err as Error).message}`);
  }
  const parsed = SlaPolicy.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describe(parsed.error, `COMPLAINT_POLICY_FILE ${file}`));
  return parsed.data;
}

/** HS256 secrets shorter than the hash (32 bytes) are guessable offline from one token. */
export const MIN_JWT_SECRET_BYTES = 32;

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/;

/** The address the API listens on: loopback in development mode, so a dev token never leaves the machine. */
export function apiHost(config: Pick<Config, 'COMPLAINT_DEV_MODE' | 'API_HOST'>): string {
  return config.API_HOST ?? (config.COMPLAINT_DEV_MODE ? '127.0.0.1' : '0.0.0.0');
}

/**
 * The API's own start-up check: outside development mode a token signed with the published dev
 * secret would be anyone's, so every deployment (not only one called "production") needs real
 * secrets. Only the API verifies tokens, so only it refuses (a worker's config has no use for the secret).
 */
export function requireApiSecret(
  config: Pick<Config, 'NODE_ENV' | 'COMPLAINT_DEV_MODE' | 'API_HOST' | 'JWT_SECRET' | 'CARRIER_SECRETS'> &
    Partial<Pick<Config, 'JWT_PREVIOUS_SECRET'>>,
): void {
  if (config.COMPLAINT_DEV_MODE) {
    if (config.NODE_ENV === 'production')
      throw new ConfigError('environment: COMPLAINT_DEV_MODE: development mode is refused when NODE_ENV=production');
    if (!LOOPBACK.test(apiHost(config)))
      throw new ConfigError(
        `environment: API_HOST: development mode listens on a loopback address only, not ${apiHost(config)}`,
      );
    return;
  }
  if (config.JWT_SECRET === DEV_JWT_SECRET) {
    throw new ConfigError(
      'environment: JWT_SECRET: set a secret of your own; the dev default works only with COMPLAINT_DEV_MODE=1',
    );
  }
  if (Buffer.byteLength(config.JWT_SECRET, 'utf8') < MIN_JWT_SECRET_BYTES) {
    throw new ConfigError(`environment: JWT_SECRET: at least ${MIN_JWT_SECRET_BYTES} bytes outside development mode`);
  }
  const previous = config.JWT_PREVIOUS_SECRET;
  if (
    previous !== undefined &&
    (previous === DEV_JWT_SECRET || Buffer.byteLength(previous, 'utf8') < MIN_JWT_SECRET_BYTES)
  ) {
    throw new ConfigError(
      `environment: JWT_PREVIOUS_SECRET: a secret of your own of at least ${MIN_JWT_SECRET_BYTES} bytes, as JWT_SECRET`,
    );
  }
  if (Object.values(config.CARRIER_SECRETS).includes(DEV_CARRIER_SECRET)) {
    throw new ConfigError(
      "environment: CARRIER_SECRETS: set each carrier's own secret; the dev default works only with COMPLAINT_DEV_MODE=1",
    );
  }
}

/** The secret a carrier signs its events with, if it has one. */
export function carrierSecret(config: Pick<Config, 'CARRIER_SECRETS'>, carrier: string): string | undefined {
  // Own entries only: a caller's header must never reach Object.prototype (`constructor`, `__proto__`).
  const own = (name: string) =>
    Object.hasOwn(config.CARRIER_SECRETS, name) ? config.CARRIER_SECRETS[name] : undefined;
  return own(carrier) ?? own('*');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describe(parsed.error, 'environment'));
  return { ...parsed.data, policy: loadPolicy(parsed.data.COMPLAINT_POLICY_FILE) };
}
