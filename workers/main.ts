import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import pino from 'pino';
import { loadConfig } from '../config';
import { ensureCalendarWatch } from './calendarWatch';
import { ensureCaseDoctor } from './doctor';
import { ensureSupplierWatch } from './supplierWatch';
import { createComplaintWorker } from './worker';

/** The worker process: SDK metrics for Prometheus, JSON logs, and a clean stop on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ name: 'worker', level: config.LOG_LEVEL });
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) =>
      logger[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'info')](meta ?? {}, message),
    ),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      metrics: { prometheus: { bindAddress: `${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}` } },
    },
  });
  const bundle = config.WORKFLOW_BUNDLE_PATH ? { codePath: config.WORKFLOW_BUNDLE_PATH } : undefined;
  const complaintWorker = await createComplaintWorker(config, { logger, bundle });
  const { worker } = complaintWorker;
  await ensureCaseDoctor(complaintWorker.temporal, config, config.TEMPORAL_TASK_QUEUE);
  await ensureCalendarWatch(complaintWorker.temporal, config.TEMPORAL_TASK_QUEUE);
  await ensureSupplierWatch(complaintWorker.temporal, config.TEMPORAL_TASK_QUEUE);
  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      temporal: config.TEMPORAL_ADDRESS,
      metrics: `http://127.0.0.1:${config.WORKER_METRICS_PORT}/metrics`,
    },
    'worker started',
  );
  await worker.run();
  await complaintWorker.close();
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
