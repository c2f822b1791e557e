import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../../dev/paths';

/**
 * Screenshots of the console's browser tests. The README's figures (docs/screenshots) change only
 * when someone asks for it:
 *
 *   npm run setup && UPDATE_SCREENSHOTS=1 npx jest test/console
 *
 * Any other run, `npm test` among them, writes them into the ignored .data/screenshots instead, so a
 * test run leaves the tree as it found it and the pictures of the last run can still be looked at.
 */
export const UPDATE_SCREENSHOTS = /^(1|true|yes)$/i.test(process.env.UPDATE_SCREENSHOTS ?? '');
export const SCREENSHOTS_DIR = UPDATE_SCREENSHOTS
  ? path.join(ROOT, 'docs', 'screenshots')
  : path.join(ROOT, '.data', 'screenshots');

/** Photographs the page (the viewport, or all of it with `fullPage`) as `name`, e.g. 'agent-queue.png'. */
export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, name), fullPage });
}
