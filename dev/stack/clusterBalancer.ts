import http from 'node:http';
import pino from 'pino';

/**
 * The one address clients of the cluster use, in front of the API processes: round robin, and a
 * process that refuses connections (killed, restarting) is skipped for a while. A request is sent
 * to another process only when the first one refused the connection, so it never reached an API;
 * a process that dies with the request in flight answers 502, and the client decides whether to
 * send it again (it may have been carried out). Stands in for the load balancer of a real
 * deployment (docs/operations.md); loopback only.
 */

export interface Balancer {
  url: string;
  close(): Promise<void>;
}

const log = pino({ name: 'balancer' });
/** How long a process that refused a connection is left out of the rotation. */
const RETRY_AFTER_MS = 2_000;
/** The API's own limit on a body is far below this; a bigger one is refused here. */
const MAX_BODY_BYTES = 1 << 20;

export async function startBalancer(opts: { port: number; upstreams: string[] }): Promise<Balancer> {
  const upstreams = opts.upstreams.map((u) => ({ url: new URL(u), downUntil: 0 }));
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  /** The processes in the order this request tries them: the next in rotation first, those left out last. */
  const order = () => {
    const now = Date.now();
    const rotated = upstreams.map((_, i) => upstreams[(next + i) % upstreams.length]);
    next = (next + 1) % upstreams.length;
    return [...rotated.filter((u) => u.downUntil <= now), ...rotated.filter((u) => u.downUntil > now)];
  };

  const forward = (req: http.IncomingMessage, body: Buffer, target: URL) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const out = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
        resolve,
      );
      out.once('error', reject);
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        let lastError: Error | undefined;
        for (const upstream of order()) {
          let answer: http.IncomingMessage;
          try {
            answer = await forward(req, body, upstream.url);
          } catch (err) {
            lastError = err as Error;
            // Refused: nothing reached that process, so the next one may take the request.
            if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
              upstream.downUntil = Date.now() + RETRY_AFTER_MS;
              continue;
            }
            break;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        log.warn({ method: req.method, path: req.url, err: lastError?.message }, 'no API process answered');
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'bad_gateway', message: `no API process answered: ${lastError?.message ?? 'none configured'}`, details: [] } }));
      })();
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${opts.port}`,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
