import type { Request } from 'express';
import type { z } from 'zod';

/**
 * Request validation: every input is parsed by its zod schema before a handler uses it. A failure
 * throws the ZodError, which the error handler answers with 400 listing each field at fault.
 */

export interface ErrorDetail {
  path: string;
  message: string;
}

export function issueDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
}

export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return schema.parse(req.body ?? {});
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return schema.parse(req.query);
}
