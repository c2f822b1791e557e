import { createWriteStream } from 'node:fs';
import { WebSocket } from 'undici';

/**
 * A DevTools-protocol client for a Node process started with `--inspect`: its main thread, and
 * its worker threads through the NodeWorker domain (the SDK runs workflows in one), so heap
 * snapshots and `process.memoryUsage()` can be taken of each while the process runs.
 */

type Params = Record<string, unknown>;
interface Message {
  id?: number;
  method?: string;
  params?: Params;
  result?: Params;
  error?: { message: string };
}
type Send = (method: string, params?: Params) => Promise<Params>;

export interface Target {
  /** `main`, or the worker thread's title. */
  name: string;
  send: Send;
  /** Called with every event the target sends. */
  listen(on: (msg: Message) => void): () => void;
}

export interface Inspected {
  targets: Target[];
  close(): void;
}

export async function inspect(port: number): Promise<Inspected> {
  const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const ws = new WebSocket(list[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  const listeners = new Map<string, Set<(msg: Message) => void>>();
  const pending = new Map<string, { resolve: (r: Params) => void; reject: (e: Error) => void }>();
  let seq = 0;
  // One reply table for every target: a main-thread id and a worker's id must not collide.
  const settle = (key: string, msg: Message) => {
    const waiting = pending.get(key);
    if (!waiting) return false;
    pending.delete(key);
    if (msg.error) waiting.reject(new Error(msg.error.message));
    else waiting.resolve(msg.result ?? {});
    return true;
  };
  const workers: Target[] = [];
  ws.addEventListener('message', (event: { data: unknown }) => {
    const msg = JSON.parse(String(event.data)) as Message;
    if (msg.id !== undefined && settle(`main:${msg.id}`, msg)) return;
    if (msg.method === 'NodeWorker.receivedMessageFromWorker') {
      const { sessionId, message } = msg.params as { sessionId: string; message: string };
      const inner = JSON.parse(message) as Message;
      if (inner.id !== undefined && settle(`${sessionId}:${inner.id}`, inner)) return;
      for (const on of listeners.get(sessionId) ?? []) on(inner);
      return;
    }
    if (msg.method === 'NodeWorker.attachedToWorker') {
      const { sessionId, workerInfo } = msg.params as { sessionId: string; workerInfo: { title: string } };
      const target = targetOf(workerInfo.title, sessionId, (method, params) =>
        call(sessionId, (id) =>
          mainSend('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) }),
        ),
      );
      workers.push(target);
      return;
    }
    for (const on of listeners.get('main') ?? []) on(msg);
  });
  const call = (session: string, post: (id: number) => unknown) =>
    new Promise<Params>((resolve, reject) => {
      const id = ++seq;
      pending.set(`${session}:${id}`, { resolve, reject });
      post(id);
    });
  const mainSend: Send = (method, params) => call('main', (id) => ws.send(JSON.stringify({ id, method, params })));
  const targetOf = (name: string, session: string, send: Send): Target => ({
    name,
    send,
    listen(on) {
      const set = listeners.get(session) ?? new Set();
      listeners.set(session, set.add(on));
      return () => set.delete(on);
    },
  });
  const main = targetOf('main', 'main', mainSend);
  await mainSend('NodeWorker.enable', { waitForDebuggerOnStart: false });
  return {
    // Live: a thread started after `inspect` (the SDK's workflow thread starts with the worker) joins when attached.
    get targets() {
      return [main, ...workers];
    },
    close: () => ws.close(),
  };
}

/**
 * `process.memoryUsage()` as the target's thread sees it (heap figures are its own isolate's); after
 * a full GC with `gc`, so what is left is what the thread keeps, not garbage V8 has not yet collected.
 */
export async function memoryUsage(target: Target, gc: boolean): Promise<NodeJS.MemoryUsage> {
  if (gc) await target.send('HeapProfiler.collectGarbage');
  const { result } = (await target.send('Runtime.evaluate', {
    expression: 'JSON.stringify(process.memoryUsage())',
    returnByValue: true,
  })) as { result: { value: string } };
  return JSON.parse(result.value) as NodeJS.MemoryUsage;
}

/** Writes the target's heap snapshot to `file` (V8 collects garbage first). */
export async function heapSnapshot(target: Target, file: string): Promise<void> {
  const out = createWriteStream(file);
  const stop = target.listen((msg) => {
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') out.write((msg.params as { chunk: string }).chunk);
  });
  try {
    await target.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    stop();
    await new Promise((resolve) => out.end(resolve));
  }
}
