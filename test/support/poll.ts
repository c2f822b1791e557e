/**
 * The one poller of the suites: reads until `done(value)` holds, in real time (activities run in
 * real time even on the time-skipping server). On timeout it throws naming what it waited for and
 * the last value seen.
 */
export interface PollOptions<T> {
  what?: string;
  timeoutMs?: number;
  everyMs?: number;
  /** What of the last value goes into the timeout message (all of it by default). */
  shown?: (value: T) => unknown;
}

export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  opts: PollOptions<T> = {},
): Promise<T> {
  const { what = 'the expected state', timeoutMs = 20_000, everyMs = 50, shown = (v: T) => v } = opts;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`never saw ${what}; last: ${JSON.stringify(shown(value))}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Polls any async probe until it passes; `what` names it in the timeout's message. */
export function eventually<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  return pollUntil(probe, ok, { what, timeoutMs });
}
