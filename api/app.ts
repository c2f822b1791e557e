import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { requireApiSecret } from '../config';
import { authenticate } from './auth';
import { consoleRoutes } from './console';
import type { AppDeps } from './deps';
import { errorHandler, routeNotFound } from './errors';
import { refuseInsecureLinks } from './links';
import { createMetrics } from './metrics';
import { openApiDocument } from './openapi';
import { createRateLimits } from './rateLimits';
import { carrierEventRoutes } from './routes/carrierEvents';
import { complaintRoutes } from './routes/complaints';
import { healthRoutes } from './routes/health';
import { meRoutes } from './routes/me';
import { merchantRoutes } from './routes/merchants';
import { fixRoutes } from './routes/fixes';
import { customerRoutes } from './routes/customers';
import { qaReportRoutes, qaRoutes } from './routes/qa';
import { opsRoutes } from './routes/ops';
import { policyRoutes } from './routes/policy';
import { reportRoutes, reviewRoutes } from './routes/reports';

export type { AppDeps } from './deps';

/**
 * The console's policy: its page loads one module script and one stylesheet from here and calls
 * only this API, so nothing inline and nothing from elsewhere runs, even if caller text slipped into
 * the page. Nobody may frame it (clickjacking a signed-in agent).
 */
const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const securityHeaders = (styleSrc: string[]) =>
  helmet({
    // Our own list, not helmet's defaults: those allow inline styles and upgrade http: (the dev stack's links).
    contentSecurityPolicy: { useDefaults: false, directives: { ...CONSOLE_CSP, styleSrc } },
    frameguard: { action: 'deny' },
    // Case ids sit in console URLs; a link followed from the console tells nobody where it came from.
    referrerPolicy: { policy: 'no-referrer' },
  });

/**
 * The HTTP API (its contract is `GET /openapi.json`, docs/api-guide.md): it checks who calls, validates with zod and turns each request into a
 * Temporal start, update or query, or a read of the MongoDB projection. No listen here; see main.ts.
 */
export function createApp(deps: AppDeps): Express {
  requireApiSecret(deps.config);
  const app = express();
  const metrics = createMetrics();
  const openapi = openApiDocument();

  const limits = createRateLimits(deps.config, { connection: deps.db.connection, logger: deps.logger });

  app.disable('x-powered-by');
  // The client's address, which the limits before authentication count by: the socket's, or behind N proxies what they say.
  app.set('trust proxy', deps.config.API_TRUST_PROXY);
  app.use(securityHeaders(["'self'"]));
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = req.headers['x-request-id'];
        const requestId = typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : randomUUID();
        res.setHeader('x-request-id', requestId);
        return requestId;
      },
      customProps: (_req, res) => {
        const { complaintId } = (res as express.Response).locals ?? {};
        return complaintId ? { complaintId } : {};
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      redact: ['req.headers.authorization'],
    }),
  );
  app.use(metrics.observe);
  app.use(limits.perAddress);
  app.use('/readyz', limits.readyz);
  app.use('/console/dev-token', limits.devTokens);
  // Bad tokens and bad carrier signatures, counted before either is checked.
  app.use('/v1', limits.authFailures);

  app.use(healthRoutes(deps));
  app.get('/metrics', metrics.serve);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // Swagger UI's page and components style themselves inline; its scripts still come from here only.
  app.use('/docs', securityHeaders(["'self'", "'unsafe-inline'"]), swaggerUi.serve, swaggerUi.setup(openapi));
  app.use('/console', consoleRoutes(deps));

  // Carriers sign their events instead of holding a bearer token.
  app.use('/v1/carrier-events', carrierEventRoutes(deps));
  const v1 = express.Router();
  const { config } = deps;
  v1.use(
    authenticate({
      secret: config.JWT_SECRET,
      previousSecret: config.JWT_PREVIOUS_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      maxTokenAgeS: config.JWT_MAX_TOKEN_AGE_S,
      clockToleranceS: config.JWT_CLOCK_TOLERANCE_S,
    }),
  );
  // Per caller, not per address: many agents share an office's address, one script can flood from many.
  v1.use(limits.perCaller);
  v1.use(express.json({ limit: '256kb' }));
  v1.use(refuseInsecureLinks(deps.config.COMPLAINT_DEV_MODE));
  v1.use('/complaints', complaintRoutes(deps));
  v1.use('/reports', reportRoutes(deps));
  v1.use('/reviews', reviewRoutes(deps));
  v1.use('/policy', policyRoutes(deps));
  v1.use('/ops', opsRoutes(deps));
  v1.use('/me', meRoutes(deps));
  v1.use('/qa', qaRoutes(deps));
  v1.use('/reports', qaReportRoutes(deps));
  v1.use('/merchants', merchantRoutes(deps));
  v1.use('/fixes', fixRoutes(deps));
  v1.use('/customers', customerRoutes(deps));
  app.use('/v1', v1);

  app.use(routeNotFound(openapi.paths ?? {}));
  app.use(errorHandler(deps.logger));
  return app;
}
