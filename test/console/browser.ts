import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, installed by scripts/setup.sh; a missing browser fails the suite, never skips it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ConsoleWorld {
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The API's app served on a loopback port, and a headless browser to drive the console on it. */
export async function serveConsole(app: Express): Promise<ConsoleWorld> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run npm run setup (it installs Debian's chromium) or set CHROMIUM_PATH`);
  if (!existsSync(path.resolve(__dirname, '../../dist/console/main.js'))) throw new Error('the console is not built: run npm run setup');
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A page signed in by keyboard as `role` `sub`, read in Chinese in a browser set to London. */
export async function signIn(world: ConsoleWorld, role: string, sub: string): Promise<Page> {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Europe/London' });
  // The suites share two cores with the others: wait longer than Playwright's 30 s for a page.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await page.goto(`${world.base}/console/`);
  await page.getByLabel('角色').selectOption(role);
  await page.getByLabel('工号').fill(sub);
  await page.getByLabel('工号').press('Enter');
  await page.locator('.who').filter({ hasText: sub }).waitFor();
  return page;
}
