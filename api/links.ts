import type { RequestHandler } from 'express';
import { z } from 'zod';

/**
 * Links a caller sends (evidence) are https: only; plain http: is allowed in development mode, where
 * the sandbox and local files are. The schemas refuse every other scheme; this refuses http: outside
 * development mode, wherever a `url` field sits in a body, so each route needs no check of its own.
 */
export function refuseInsecureLinks(devMode: boolean): RequestHandler {
  return (req, _res, next) => {
    if (devMode) return next();
    const issues: z.core.$ZodIssue[] = [];
    const walk = (value: unknown, path: PropertyKey[]) => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
      else if (value && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) {
          if (key === 'url' && typeof v === 'string' && URL.parse(v)?.protocol === 'http:') {
            issues.push({
              code: 'custom',
              path: [...path, key],
              message: 'expected an https: link (http: only in development mode)',
              input: v,
            });
          } else walk(v, [...path, key]);
        }
      }
    };
    walk(req.body, []);
    next(issues.length ? new z.ZodError(issues) : undefined);
  };
}
