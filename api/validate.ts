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
  const at = (path: PropertyKey[]) => path.map(String).join('.') || '(root)';
  // A strict schema's unknown keys come as one issue on their parent: each is named as a field of its own.
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'is not a field of this schema' }))
      : [{ path: at(issue.path), message: issue.message }],
  );
}

export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return schema.parse(req.body ?? {});
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return schema.parse(req.query);
}
