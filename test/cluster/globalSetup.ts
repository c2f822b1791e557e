/**
 * Points the suites at the cluster scripts/cluster-test.ts started (instead of the dev server the
 * default globalSetup starts): the same variables the suites read, taken from CLUSTER_*.
 */
export default function globalSetup(): void {
  const temporal = process.env.CLUSTER_TEMPORAL_ADDRESS;
  const mongo = process.env.CLUSTER_MONGODB_URI;
  if (!temporal || !mongo || !process.env.WORKFLOW_BUNDLE_PATH) {
    throw new Error(
      'test/cluster runs against a cluster: start it with npm run test:cluster (scripts/cluster-test.ts)',
    );
  }
  process.env.TEMPORAL_ADDRESS = temporal;
  process.env.MONGODB_URI = mongo;
  process.env.TEMPORAL_NAMESPACE = process.env.CLUSTER_NAMESPACE ?? 'default';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
}
