import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import execa from 'execa';
import { HAPROXY_BIN, haproxyConfig } from '../../dev/stack/haproxy';
import { type Child, freePort, ready, stopAll } from '../../dev/stack/processes';

/**
 * The cluster's one address (docs/cluster.md): HAProxy, with the configuration the cluster writes,
 * in front of two stand-in API processes that say who answered. Round robin; a request that could
 * not reach a process goes to the other; one that reached a process that then died is answered
 * 502 and never sent again, since it may have been carried out.
 */

interface Upstream {
  name: string;
  port: number;
  /** Requests this process received, health checks left out. */
  received: string[];
  server: http.Server;
}

async function upstream(name: string): Promise<Upstream> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') return void res.end('{"status":"ok"}');
    received.push(req.url ?? '');
    // A process that dies with the request in flight: the connection closes without an answer.
    if (req.url === '/dies') return void req.socket.destroy();
    res.end(name);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { name, port: (server.address() as AddressInfo).port, received, server };
}

let dir: string;
let api1: Upstream;
let api2: Upstream;
let balancer: Child;
let url: string;

beforeAll(async () => {
  [api1, api2] = await Promise.all([upstream('api-1'), upstream('api-2')]);
  const port = await freePort();
  dir = mkdtempSync(path.join(tmpdir(), 'balancer-'));
  const config = path.join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig({ port, apiPorts: [api1.port, api2.port] }));
  balancer = await ready(
    execa(HAPROXY_BIN, ['-db', '-f', config], { stdio: 'ignore', reject: false, cleanup: true }),
    port,
    'HAProxy',
    30_000,
  );
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await stopAll(balancer ? [balancer] : []);
  api1?.server.close();
  api2?.server.closeAllConnections();
  api2?.server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request on a connection of its own, as a client that sends one request at a time would. */
async function get(p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}${p}`, { agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .once('error', reject);
  });
}

it('takes turns: of ten requests, each process answers five, one after the other', async () => {
  const answers = [];
  for (let i = 0; i < 10; i++) answers.push((await get(`/turn-${i}`)).body);
  expect(answers.filter((a) => a === 'api-1')).toHaveLength(5);
  expect(answers.filter((a) => a === 'api-2')).toHaveLength(5);
  for (let i = 1; i < answers.length; i++) expect(answers[i]).not.toBe(answers[i - 1]);
});

it('answers 502 when a process dies with the request, and does not send it to the other process', async () => {
  const before = [api1.received.length, api2.received.length];
  const res = await get('/dies');
  expect(res.status).toBe(502);
  const reached = [api1.received.length - before[0], api2.received.length - before[1]];
  expect(reached[0] + reached[1]).toBe(1);
});

it('sends every request to the other process once one refuses connections', async () => {
  api2.server.closeAllConnections();
  await new Promise((resolve) => api2.server.close(resolve));
  const statuses = [];
  for (let i = 0; i < 10; i++) statuses.push((await get(`/after-${i}`)).status);
  expect(statuses).toEqual(Array(10).fill(200));
  expect(api1.received.filter((u) => u.startsWith('/after-'))).toHaveLength(10);
});
