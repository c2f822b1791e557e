import type { temporal } from '@temporalio/proto';
import { type ReplayResult, type ReplayWorkerOptions, Worker } from '@temporalio/worker';

type History = temporal.api.history.v1.IHistory;

/**
 * One replay worker for a whole simulation run, fed case by case. A replay worker per case left
 * the SDK's source map of the bundle behind each time (its WebAssembly memory is freed only by an
 * explicit destroy the SDK does not call): seed 1 died after 602 cases with "RuntimeError:
 * unreachable" in source-map's parser.
 */
export class Replayer {
  private readonly queue: Array<{ workflowId: string; history: History }> = [];
  private readonly waiting = new Map<string, (error: string | null) => void>();
  private wake: (() => void) | null = null;
  private closing = false;
  /** Why the replay worker stopped, when it stopped on its own. */
  private broken: string | null = null;
  private readonly consumed: Promise<void>;

  constructor(bundlePath: string) {
    // Off debug mode the replay runs in a workflow thread of its own, as a worker's workflows do. In
    // debug mode (the SDK's default for replay, though its options type leaves the field out) it ran
    // on the main thread and hooked every promise there (the driver's, the activities', the
    // sandbox's, gRPC's) to record workflow stack traces: with the replay, a third of the main
    // thread (docs/simulation.md, "What a case costs"). What a replay decides is the same either way.
    const options = {
      workflowBundle: { codePath: bundlePath },
      replayName: 'simulation',
      debugMode: false,
    } as ReplayWorkerOptions;
    this.consumed = this.consume(Worker.runReplayHistories(options, this.histories()));
  }

  /** Replays one case's history: null when it replays, else why not. */
  replay(workflowId: string, history: History): Promise<string | null> {
    if (this.broken) return Promise.resolve(`the replay worker stopped: ${this.broken}`);
    return new Promise((resolve) => {
      this.waiting.set(workflowId, resolve);
      this.queue.push({ workflowId, history });
      this.wake?.();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.consumed;
  }

  private async *histories(): AsyncGenerator<{ workflowId: string; history: History }> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.closing) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  private async consume(results: AsyncIterable<ReplayResult>): Promise<void> {
    try {
      for await (const { workflowId, error } of results) {
        this.waiting.get(workflowId)?.(error ? error.message : null);
        this.waiting.delete(workflowId);
      }
    } catch (err) {
      this.broken = (err as Error).message;
      for (const resolve of this.waiting.values()) resolve(`the replay worker stopped: ${this.broken}`);
      this.waiting.clear();
    }
  }
}
