import type { Client } from '@temporalio/client';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Store } from '../store/connection';
import { activeVersion, markRolloutStarted, type PolicyVersionDoc } from '../store/policyVersions';
import type { PolicyRolloutInput, policyRolloutWorkflow } from '../workflows/policyRollout';
import { READ_DEADLINE_MS, within } from './cases';
import { POLICY_CACHE_MS } from './policyBook';

/**
 * Starting the rollout of a published version's calendar to the running cases
 * (workflows/policyRollout.ts). Once per version: the workflow id is the version's, and a second
 * start finds the first one running or done.
 */

const DEFAULT_TASK_QUEUE = 'complaints';

/**
 * Workflow ids are namespace-wide and version ids are per database: a deployment on a task queue
 * of its own (a test, a second environment on the same namespace) names its queue in the id.
 */
export function rolloutWorkflowId(taskQueue: string, versionId: number): string {
  return taskQueue === DEFAULT_TASK_QUEUE ? `policy-rollout-${versionId}` : `policy-rollout-${taskQueue}-${versionId}`;
}

export interface RolloutDeps {
  temporal: Client;
  db: Store;
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>;
  logger: Logger;
}

/** Starts the version's rollout unless it ran already; false (logged) when Temporal did not take it. */
export async function startPolicyRollout(
  { temporal, db, config, logger }: RolloutDeps,
  version: PolicyVersionDoc,
): Promise<boolean> {
  if (!version.rollout || !version.publishedAt) return false;
  const { holidays, makeUpWorkdays, coveredYears, computedYears } = version.policy.calendar;
  const queue = config.TEMPORAL_TASK_QUEUE;
  const input: PolicyRolloutInput = {
    update: {
      policyVersion: version._id,
      calendar: { holidays, makeUpWorkdays, coveredYears, ...(computedYears ? { computedYears } : {}) },
    },
    publishedAt: version.publishedAt.toISOString(),
    // Past every other process's policy cache, with room for visibility to list the cases they opened.
    settleMs: 2 * POLICY_CACHE_MS,
    scope: `TaskQueue = '${queue}'`,
  };
  try {
    await within(temporal, READ_DEADLINE_MS, () =>
      temporal.workflow.start<typeof policyRolloutWorkflow>('policyRolloutWorkflow', {
        workflowId: version.rollout!.workflowId,
        taskQueue: queue,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        staticSummary: `offer policy version ${version._id}'s calendar to the running cases`,
      }),
    );
  } catch (err) {
    // Closed already: this version's rollout ran.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      logger.warn({ err, policyVersion: version._id }, 'policy rollout not started; the API tries again');
      return false;
    }
  }
  await markRolloutStarted(db.policyVersions, version._id);
  return true;
}

/**
 * The active version's rollout, if its publish could not start it (Temporal down at that moment):
 * the API process calls this at start and now and then. Older versions are left alone; a case takes
 * the newest calendar it is offered.
 */
export async function resumePendingRollout(deps: RolloutDeps): Promise<void> {
  const version = await activeVersion(deps.db.policyVersions);
  if (version?.rollout && version.rollout.startedAt === null) await startPolicyRollout(deps, version);
}
