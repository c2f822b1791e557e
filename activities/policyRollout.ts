import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Logger } from 'pino';
import { type CalendarUpdateV1, calendarUpdatedSignal } from '../shared/messages';

/**
 * Offering a published policy version's calendar to the running cases (workflows/policyRollout.ts
 * decides when): list them through Temporal's visibility a page at a time and signal each. The
 * page token is heartbeated, so a retried attempt resumes after the last page it finished; a case
 * signalled twice keeps the newest version it has seen, so a repeated page changes nothing.
 */

export const RUNNING_CASES_QUERY = `WorkflowType = 'complaintWorkflow' AND ExecutionStatus = 'Running'`;

export interface SignalRunningCasesInput {
  update: CalendarUpdateV1;
  /** A visibility clause the cases must also match, e.g. their task queue or when they started. */
  scope?: string;
  pageSize?: number;
}

export interface SignalRunningCasesResult {
  /** Cases the signal reached. */
  signalled: number;
  /** Cases listed as running that had closed by the time they were signalled. */
  skipped: number;
}

interface Progress extends SignalRunningCasesResult {
  pages: number;
  /** Base64 of the next page's token; absent once the last page is done. */
  nextPageToken?: string;
  done: boolean;
}

const DEFAULT_PAGE_SIZE = 200;
/** Signals sent side by side within a page: quick enough for 100 000 cases, gentle on the frontend. */
const IN_FLIGHT = 20;

export function createPolicyRolloutActivities({ client, logger }: { client: Client; logger?: Logger }) {
  async function signal(workflowId: string, update: CalendarUpdateV1): Promise<'signalled' | 'skipped'> {
    try {
      // No run id: the case's current run, whichever it continued as.
      await client.workflow.getHandle(workflowId).signal(calendarUpdatedSignal, update);
      return 'signalled';
    } catch (err) {
      // Closed since it was listed: nothing left to move.
      if (err instanceof WorkflowNotFoundError) return 'skipped';
      throw err;
    }
  }

  return {
    async signalRunningCases({ update, scope, pageSize }: SignalRunningCasesInput): Promise<SignalRunningCasesResult> {
      const ctx = Context.current();
      const resumed = ctx.info.heartbeatDetails as Progress | undefined;
      let progress: Progress = resumed ?? { signalled: 0, skipped: 0, pages: 0, done: false };
      const query = scope ? `${RUNNING_CASES_QUERY} AND ${scope}` : RUNNING_CASES_QUERY;
      let token: Uint8Array | undefined = progress.nextPageToken
        ? Buffer.from(progress.nextPageToken, 'base64')
        : undefined;
      while (!progress.done) {
        const page = await client.workflowService.listWorkflowExecutions({
          namespace: client.options.namespace,
          query,
          pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
          nextPageToken: token,
        });
        const ids = (page.executions ?? []).map((e) => e.execution?.workflowId).filter((id): id is string => !!id);
        let { signalled, skipped } = progress;
        for (let i = 0; i < ids.length; i += IN_FLIGHT) {
          const outcomes = await Promise.all(ids.slice(i, i + IN_FLIGHT).map((id) => signal(id, update)));
          signalled += outcomes.filter((o) => o === 'signalled').length;
          skipped += outcomes.filter((o) => o === 'skipped').length;
          ctx.heartbeat(progress);
        }
        token = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
        progress = {
          signalled,
          skipped,
          pages: progress.pages + 1,
          done: !token,
          ...(token ? { nextPageToken: Buffer.from(token).toString('base64') } : {}),
        };
        ctx.heartbeat(progress);
      }
      logger?.info(
        {
          policyVersion: update.policyVersion,
          signalled: progress.signalled,
          skipped: progress.skipped,
          pages: progress.pages,
          scope,
        },
        'policy rollout: running cases signalled',
      );
      return { signalled: progress.signalled, skipped: progress.skipped };
    },
  };
}

export type PolicyRolloutActivities = ReturnType<typeof createPolicyRolloutActivities>;
