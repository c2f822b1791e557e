import { NativeConnection, Worker } from '@temporalio/worker';

/** The repro's worker process (run.ts starts it and kills it with SIGKILL): a small cache, so queries meet runs it does not hold. */
async function main(): Promise<void> {
  const [address, taskQueue, bundle] = process.argv.slice(2);
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowBundle: { codePath: bundle },
    maxCachedWorkflows: 3,
    activities: {
      async work(n: number): Promise<number> {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
        return n;
      },
    },
  });
  await worker.run();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
