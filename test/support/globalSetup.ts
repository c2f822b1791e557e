import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleComplaintWorkflows } from '../../workers/bundle';
import { freePort, startMongoWire, startTemporal, type Child } from '../../dev/stack/processes';

declare global {
  var __TEST_STACK__: Child[] | undefined;
}

/**
 * Starts the servers the whole suite shares, once: the Temporal dev server (end-to-end and API
 * tests) and an in-memory MongoDB-wire server, and bundles the workflow code. Time-skipping suites start their own test server,
 * because time skipping is global to a server. Addresses reach the test files through env vars.
 */
export default async function globalSetup(): Promise<void> {
  const [temporalPort, mongoPort] = await Promise.all([freePort(), freePort()]);
  const [temporal, mongo, bundle] = await Promise.all([
    startTemporal({ port: temporalPort }),
    startMongoWire({ port: mongoPort }),
    bundleComplaintWorkflows(quietBundler),
  ]);
  const bundlePath = path.join(tmpdir(), `complaint-workflows-${process.pid}.js`);
  writeFileSync(bundlePath, bundle);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  globalThis.__TEST_STACK__ = [temporal, mongo];
  process.env.TEMPORAL_ADDRESS = `127.0.0.1:${temporalPort}`;
  process.env.MONGODB_URI = `mongodb://127.0.0.1:${mongoPort}/complaints-test`;
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
}

const noop = () => undefined;
const quietBundler = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
