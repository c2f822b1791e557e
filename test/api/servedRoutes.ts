import type { Express } from 'express';

/**
 * Every route an Express app serves, found by walking its router (not from any table of the code):
 * `METHOD /path` for each route, with the paths of the routers it is mounted under, and `USE /path`
 * for a handler mounted at a path under which no route is declared (static files, Swagger UI).
 * Middleware mounted where routes are (a rate limit on /readyz, the token check on /v1) is no route.
 */

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

const join = (prefix: string, path: string) => {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
};

function walk(stack: Layer[], prefix: string, routes: string[], mounts: string[]): void {
  for (const layer of stack) {
    const path = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
    if (layer.route) {
      if (typeof layer.route.path !== 'string')
        throw new Error(`a route at ${prefix} has a path that is not a string: name its routes`);
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') routes.push(`${method.toUpperCase()} ${join(prefix, layer.route.path)}`);
    } else if (layer.handle.stack) {
      walk(layer.handle.stack, join(prefix, path), routes, mounts);
    } else if (path !== '/') {
      mounts.push(join(prefix, path));
    }
  }
}

export function servedRoutes(app: Express): string[] {
  const routes: string[] = [];
  const mounts: string[] = [];
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', routes, mounts);
  const under = (mount: string) =>
    routes.some((r) => {
      const p = r.split(' ')[1];
      return p === mount || p.startsWith(`${mount}/`);
    });
  const uses = [...new Set(mounts)].filter((m) => !under(m)).map((m) => `USE ${m}`);
  return [...new Set([...routes, ...uses])].sort();
}
