import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { createOrdersClient } from '../../clients/orders';
import { prepareComplaint, submitComplaint } from '../../api/intake';
import { OpenComplaintRequest } from '../../api/schemas';
import { callers, openBody, party, putOrder, silent, startApi, startWorker, type ApiHarness } from '../api/support';

/**
 * The console never makes a caller's non-https link clickable (docs/api-limits.md): a case that holds
 * one anyway (opened before the API checked schemes, or written around it) shows it as text.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const EVIL = "javascript:document.title='pwned'";

let h: ApiHarness;
let worker: { stop(): Promise<void> };
let server: Server;
let browser: Browser;
let base: string;
const p = party();
let caseId: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run npm run setup or set CHROMIUM_PATH`);
  h = await startApi();
  worker = await startWorker(h);
  putOrder(h.sandbox, p);
  // Straight to the workflow, past the API's check: the links a case may hold from before it.
  const deps = {
    ...h,
    orders: createOrdersClient({ baseUrl: h.sandbox.url, apiKey: h.config.PROVIDER_API_KEY, logger: silent }),
  };
  const body = OpenComplaintRequest.parse(openBody(p));
  const evidence = [
    { kind: 'photo' as const, url: EVIL, note: '' },
    { kind: 'video' as const, url: 'http://img.example.com/plain.mp4', note: '' },
    { kind: 'document' as const, url: 'https://img.example.com/receipt.pdf', note: '' },
  ];
  const prepared = await prepareComplaint(deps, { ...body, evidence }, callers(p.customerId, p.merchantId).customer);
  caseId = prepared.input.complaintId;
  await submitComplaint(deps, prepared);
  server = createServer(h.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await worker?.stop();
  await h?.close();
});

it('links only the https: evidence; the others are text', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await page.goto(`${base}/console/`);
  await page.getByLabel('角色').selectOption('agent');
  await page.getByLabel('工号').fill('agent-7');
  await page.getByLabel('工号').press('Enter');
  await page.locator('.who').filter({ hasText: 'agent-7' }).waitFor();
  await page.goto(`${base}/console/#/case/${encodeURIComponent(caseId)}`);
  await page
    .getByText('receipt.pdf', { exact: false })
    .or(page.locator('a[href="https://img.example.com/receipt.pdf"]'))
    .first()
    .waitFor();

  // The test's tsconfig has no DOM types: the browser's elements are only their href here.
  const hrefs: string[] = await page
    .locator('a[href]')
    .evaluateAll((links) =>
      links.map((a) => (a as unknown as { getAttribute(name: string): string | null }).getAttribute('href') ?? ''),
    );
  // Besides the console's own links (its routes, the Temporal Web UI), only the https: evidence.
  expect(hrefs.filter((href) => !href.startsWith('#') && !href.includes('/namespaces/'))).toEqual([
    'https://img.example.com/receipt.pdf',
  ]);
  const text = await page.locator('main').innerText();
  expect(text).toContain(EVIL);
  expect(text).toContain('http://img.example.com/plain.mp4');
  await page.getByText(EVIL, { exact: false }).click();
  expect(await page.title()).not.toBe('pwned');
  await context.close();
});
