import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { caseReads } from './cases';

/**
 * Request metrics for Prometheus at `GET /metrics`. Each app has its own registry, so several apps
 * in one process (tests) never collide on metric names.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  registry.registerMetric(caseReads);

  const observe: RequestHandler = (req, res, next) => {
    const end = duration.startTimer({ method: req.method });
    res.on('finish', () => {
      // Route templates, never raw paths: one series per route whatever the ids.
      const route =
        res.locals.operation ??
        (req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched');
      end({ route, status: String(res.statusCode) });
    });
    next();
  };

  const serve: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };

  return { registry, observe, serve };
}
