/**
 * The projection is written at least once per change and may be written again (activity retries,
 * replays), so a duplicate key is expected and means "already there", never a failure.
 */
const DUPLICATE_KEY = 11000;

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}

/**
 * An unordered bulk insert whose every failure is a duplicate: everything new went in. Mongoose
 * reports each failure as `{ index, err }`, the driver as a WriteError with its own `code`.
 */
export function onlyDuplicates(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: unknown } | null)?.writeErrors;
  if (!writeErrors) return isDuplicateKey(err);
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  return list.length > 0 && list.every((e) => isDuplicateKey(e) || isDuplicateKey((e as { err?: unknown }).err));
}
