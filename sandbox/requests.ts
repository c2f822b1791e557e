import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';

/** What every sandbox route shares: validation, the api-key check, error bodies, held answers. */

export interface ErrorDetail {
  path: string;
  message: string;
}

/** A caller's mistake; the error handler answers 400 `invalid_request` with each field at fault. */
export class RequestInvalid extends Error {
  constructor(
    message: string,
    readonly details: ErrorDetail[],
  ) {
    super(message);
  }
}

/** Parses `value` (the body, query or a header) or throws RequestInvalid naming `where` and each field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new RequestInvalid(`invalid ${where}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
}

export function idempotencyKey(req: Request): string {
  const key = req.get('idempotency-key');
  if (!key) {
    throw new RequestInvalid('the Idempotency-Key header is required', [
      { path: 'headers.idempotency-key', message: 'required' },
    ]);
  }
  return key;
}

export function sendError(res: Response, status: number, code: string, message: string, details?: ErrorDetail[]): void {
  res.status(status).json({ error: { code, message, ...(details ? { details } : {}) } });
}

export function requireApiKey(apiKey: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.get('x-api-key') === apiKey) return next();
    sendError(res, 401, 'unauthorized', 'missing or wrong x-api-key');
  };
}

/**
 * Answers held back by a `timeout` fault (sent late) or a `hold` fault (sent when a test releases
 * them). Each is dropped when the caller hangs up; `releaseAll` ends them at once, so shutting the
 * server down never waits out a stall.
 */
export class Stalls {
  private readonly held = new Map<Response, { timer: NodeJS.Timeout; answer: () => void }>();

  hold(res: Response, ms: number, answer: () => void): void {
    const timer = setTimeout(() => {
      this.held.delete(res);
      answer();
    }, ms);
    timer.unref();
    this.held.set(res, { timer, answer });
    res.once('close', () => {
      clearTimeout(timer);
      this.held.delete(res);
    });
  }

  /** Answers still held whose caller is still connected. */
  get size(): number {
    return this.held.size;
  }

  /** Sends every held answer now, as the provider would once it recovers. */
  answerAll(): number {
    const n = this.held.size;
    for (const [res, { timer, answer }] of this.held) {
      clearTimeout(timer);
      this.held.delete(res);
      answer();
    }
    return n;
  }

  releaseAll(): void {
    for (const [res, { timer }] of this.held) {
      clearTimeout(timer);
      res.socket?.destroy();
    }
    this.held.clear();
  }
}
