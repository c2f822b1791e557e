import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import { signToken } from './auth';
import type { AppDeps } from './deps';
import { ApiError } from './errors';
import { Identifier } from './schemas';
import { parseBody } from './validate';

/**
 * `/console`: the people's console (docs/console.md), static files built by `npm run setup` from
 * console/src into dist/console. It speaks only the public API with the caller's token; the two routes here are what
 * a static page cannot know on its own: where the Temporal Web UI is, and, in dev only, a token.
 */

const ROOT = path.resolve(__dirname, '..', 'console');
/** Where setup compiles console/src (the repo's ignored build folder). */
const DIST = path.resolve(__dirname, '..', 'dist', 'console');

/** The roles that work cases in the console; customers and merchants have their own apps. */
const ConsoleRole = z.enum(['agent', 'supervisor', 'ops_manager', 'compliance']);
const DevSignIn = z.object({
  role: ConsoleRole,
  sub: z.string().trim().min(1).max(64),
  // docs/domain.md §6.5: a department's staff carry its id in their token, as the identity provider's tokens do.
  department: Identifier.optional(),
});

export function consoleRoutes({ config }: AppDeps): Router {
  const router = Router();
  // A dev token is a skeleton key: outside development mode the route does not exist and people bring a real token.
  const devSignIn = config.COMPLAINT_DEV_MODE;

  router.get('/config.json', (_req, res) => {
    res.json({
      devSignIn,
      timeZone: config.policy.calendar.timeZone,
      temporalUi: { port: config.TEMPORAL_UI_PORT, namespace: config.TEMPORAL_NAMESPACE },
    });
  });

  if (devSignIn) {
    router.post('/dev-token', express.json({ limit: '4kb' }), async (req, res) => {
      const { role, sub, department } = parseBody(DevSignIn, req);
      const signer = {
        secret: config.JWT_SECRET,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        maxTokenAgeS: config.JWT_MAX_TOKEN_AGE_S,
      };
      // One shift, or less where the API accepts less.
      res.json({
        token: await signToken(
          signer,
          { role, sub, ...(department && { department }) },
          `${Math.min(12 * 3600, config.JWT_MAX_TOKEN_AGE_S)}s`,
        ),
      });
    });
  }

  router.use((_req, _res, next) => {
    // A clone that skipped setup would serve a blank page; say what to run instead.
    if (!existsSync(path.join(DIST, 'main.js')))
      throw new ApiError('unavailable', 'the console is not built: run npm run setup');
    next();
  });
  router.get('/', (_req, res) => res.sendFile(path.join(ROOT, 'index.html')));
  // A file that is not there is the caller's 404; serve-static's own error would name the file's absolute path.
  router.use('/dist', express.static(DIST), (req, _res, next) =>
    next(new ApiError('not_found', `no console file ${req.path}`)),
  );
  router.get('/style.css', (_req, res) => res.sendFile(path.join(ROOT, 'style.css')));
  return router;
}
