/**
 * How many cases a property test draws. The unit tier is the inner loop and stays in seconds: by
 * default a tenth of what a test asks for (at least 50); `DEEP_PROPERTIES=1` draws them all, for a
 * change to the calendar code or before a release (docs/development.md).
 */
export function propertyRuns(deep: number): number {
  return process.env.DEEP_PROPERTIES === '1' ? deep : Math.max(50, Math.ceil(deep / 10));
}
