import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandboxApp, type SandboxAppOptions } from './app';
import type { Faults } from './faults';
import type { SandboxStore } from './store';

/** The sandbox listening on a port: used by `sandbox/main.ts` and by tests (port 0). */

export interface RunningSandbox {
  url: string;
  port: number;
  store: SandboxStore;
  faults: Faults;
  /** Stops listening and ends every open connection, held answers included. */
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxAppOptions & { port: number; host?: string }): Promise<RunningSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const sandbox = createSandboxApp(opts);
  const { app, store, faults } = sandbox;
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    port,
    store,
    faults,
    close: async () => {
      sandbox.releaseStalls();
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
