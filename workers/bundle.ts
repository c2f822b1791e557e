import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BundleOptions, bundleWorkflowCode } from '@temporalio/worker';

/**
 * How the complaint workflows are bundled, for every place that bundles them: the worker (when
 * it bundles at start), the test suite, the benchmarks and the image build.
 */
export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: require.resolve('../workflows'),
  // Every other module a workflow imports is evaluated again for each workflow in the worker's
  // cache. Luxon's module scope holds only zone and formatter caches, no per-workflow state, so
  // one copy serves all and a sleeping case costs less memory.
  preloadModules: ['luxon'],
  // Watches every activation for the SDK's query run-ahead, which action validators refuse to follow
  // (docs/determinism.md).
  workflowInterceptorModules: [require.resolve('../workflows/activations')],
} satisfies BundleOptions;

export async function bundleComplaintWorkflows(logger?: BundleOptions['logger']): Promise<string> {
  const { code } = await bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger });
  return code;
}

// `node --import tsx workers/bundle.ts <out-file>`: the image build bundles once, so every worker
// replica runs the very same workflow code and starts without webpack (WORKFLOW_BUNDLE_PATH).
if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  bundleComplaintWorkflows()
    .then((code) => {
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, code);
      console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
