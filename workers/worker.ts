import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { createDoctorActivities } from '../activities/doctor';
import type { Config } from '../config';
import { openStore } from '../store/connection';
import { WORKFLOW_BUNDLE_OPTIONS } from './bundle';

/**
 * A complaint worker: the workflows and every activity wired to its real client. Used by the
 * worker process and by the test suite (which passes a pre-built workflow bundle).
 */
export interface ComplaintWorker {
  worker: Worker;
  /** The worker's own client, for what the process starts beside its work (the case doctor). */
  temporal: Client;
  close(): Promise<void>;
}

export async function createComplaintWorker(
  config: Config,
  opts: { logger?: Logger; taskQueue?: string; bundle?: WorkerOptions['workflowBundle'] } = {},
): Promise<ComplaintWorker> {
  const taskQueue = opts.taskQueue ?? config.TEMPORAL_TASK_QUEUE;
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  const mongo = (await openStore(config.MONGODB_URI)).connection;
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_WORKFLOW_TASK_SLOTS,
    workflowThreadPoolSize: config.WORKER_WORKFLOW_THREADS,
    maxCachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
    ...(opts.bundle
      ? { workflowBundle: opts.bundle }
      : {
          workflowsPath: WORKFLOW_BUNDLE_OPTIONS.workflowsPath,
          interceptors: { workflowModules: WORKFLOW_BUNDLE_OPTIONS.workflowInterceptorModules },
          bundlerOptions: { preloadModules: WORKFLOW_BUNDLE_OPTIONS.preloadModules },
        }),
    activities: {
      ...createActivities({
        config: { ...config, TEMPORAL_TASK_QUEUE: taskQueue },
        temporal,
        mongo,
        logger: opts.logger,
      }),
      ...createDoctorActivities({ client: temporal, mongo, logger: opts.logger }),
    },
  });
  return {
    worker,
    temporal,
    async close() {
      await mongo.close();
      await clientConnection.close();
      await connection.close();
    },
  };
}
