import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { clusterSettings } from '../../dev/stack/cluster';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../shared/searchAttributes';

/** The one place of the cluster's settings (deploy/temporal/cluster.env) against the code and the running cluster. */

const settings = clusterSettings();
const root = path.resolve(__dirname, '..', '..');

it('lists exactly the search attributes of shared/searchAttributes.ts', () => {
  expect(settings.TEMPORAL_SEARCH_ATTRIBUTES.split(',')).toEqual(SEARCH_ATTRIBUTE_FLAGS);
});

it('is what the compose file gives the Temporal server, its init job and our processes', () => {
  const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  expect(compose.match(/env_file: deploy\/temporal\/cluster\.env/g)?.length).toBeGreaterThanOrEqual(3);
  expect(compose).toContain('./deploy/temporal/server.yaml:/etc/temporal/config/docker.yaml:ro');
  expect(compose).toContain(`TEMPORAL_DEFAULT_NAMESPACE: ${settings.TEMPORAL_NAMESPACE}`);
});

it('is what the running cluster has: the namespace with its retention and every search attribute', async () => {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const namespace = settings.TEMPORAL_NAMESPACE;
    const { namespaceInfo, config } = await connection.workflowService.describeNamespace({ namespace });
    expect(namespaceInfo?.name).toBe(namespace);
    const hours = Number(settings.TEMPORAL_NAMESPACE_RETENTION.replace(/h$/, ''));
    expect(Number(config?.workflowExecutionRetentionTtl?.seconds)).toBe(hours * 3600);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    for (const flag of SEARCH_ATTRIBUTE_FLAGS)
      expect(Object.keys(customAttributes ?? {})).toContain(flag.split('=')[0]);
  } finally {
    await connection.close();
  }
});
