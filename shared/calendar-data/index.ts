import cn2026 from './cn-2026.json';

/**
 * Mainland China's public holidays and make-up workdays (调休), one file per year as the State
 * Council publishes them (usually in November for the next year). To add a year: drop
 * `cn-<year>.json` beside these, with the same fields and its source, and add it to this list.
 * Plain JSON imports, so workflow code can bundle them (no file system at run time).
 */
export const CALENDAR_YEARS: unknown[] = [cn2026];
