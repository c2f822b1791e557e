// Image build step: bundles workflows/ once, so every worker replica runs the very same workflow
// code and starts without webpack. The worker loads the file through WORKFLOW_BUNDLE_PATH.
// Plain ESM JavaScript so it needs no TypeScript loader: `node deploy/bundle-workflows.mjs <out-file>`.
import console from 'node:console';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
const workflowsPath = fileURLToPath(new URL('../workflows', import.meta.url));

try {
  const { code } = await bundleWorkflowCode({ workflowsPath });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);
} catch (err) {
  console.error(err);
  process.exit(1);
}
