import type { World } from '../stack/world';

/** SIGKILLs the stack's worker process, waits until it is gone, and starts another on the same task queue. */
export async function killWorker(world: World): Promise<void> {
  const worker = world.procs.get('worker')!;
  worker.process.kill('SIGKILL');
  await worker.process;
  await world.startWorker();
}

/**
 * Waits until the stack's worker polls for workflow tasks; answers how long that took, or undefined
 * if it did not within `timeoutMs`. A worker listens (its metrics port) well before it polls: at a
 * load average of 30 it took longer than 30 s to load the workflow bundle, so a worker killed every
 * 30 s counted from its port never ran a workflow task.
 */
export async function untilPolling(world: World, timeoutMs = 180_000): Promise<number | undefined> {
  const pid = world.procs.get('worker')?.process.pid;
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const { pollers } = await world.client.workflowService
      .describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: world.taskQueue },
        taskQueueType: 1 /* workflow */,
      })
      .catch(() => ({ pollers: [] }));
    // The SDK's identity is `<pid>@<host>`.
    if ((pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`))) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
  }
  return undefined;
}
