import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Claims } from '../../api/auth';
import type { CaseViewV1 } from '../../shared/caseView';
import type { Role } from '../../shared/domain';
import { complaintWorkflowId } from '../../shared/identity';
import { writeCase } from '../../store/cases';
import { callers, openBody, party, putOrder, startApi, startWorker, type ApiHarness } from '../api/support';
import { lateBound } from '../support/lateBound';
import { eventually } from '../support/poll';

/** Debian's chromium, installed by scripts/setup.sh; a missing browser fails the suite, never skips it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ConsoleWorld {
  base: string;
  browser: Browser;
  /** A request to the served API as `claims`, for what the suite does outside the console (a customer's part, a check). */
  call(
    claims: Claims,
    method: string,
    route: string,
    body?: object,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface Viewport {
  width: number;
  height: number;
}

/** The API's app served on a loopback port, and a headless browser to drive the console on it. */
export async function serveConsole(api: Pick<ApiHarness, 'app' | 'bearer'>): Promise<ConsoleWorld> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no browser at ${CHROMIUM}: run npm run setup (it installs Debian's chromium) or set CHROMIUM_PATH`,
    );
  if (!existsSync(path.resolve(__dirname, '../../dist/console/main.js')))
    throw new Error('the console is not built: run npm run setup');
  const server: Server = createServer(api.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    browser,
    async call(claims, method, route, body) {
      const res = await fetch(`${base}${route}`, {
        method,
        headers: { authorization: await api.bearer(claims), ...(body && { 'content-type': 'application/json' }) },
        body: body && JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A page signed in by keyboard as `role` `sub` (of `department`, docs/domain.md §6.5, when given), read
 * in Chinese in a browser set to London; a desk's screen unless told.
 */
export async function signIn(
  world: ConsoleWorld,
  role: string,
  sub: string,
  { viewport = { width: 1280, height: 800 }, department }: { viewport?: Viewport; department?: string } = {},
): Promise<Page> {
  const context = await world.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Europe/London' });
  // The suites share two cores with the others: wait longer than Playwright's 30 s for a page.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await page.goto(`${world.base}/console/`);
  await page.getByLabel('角色').selectOption(role);
  await page.getByLabel('工号').fill(sub);
  if (department) await page.getByLabel('部门（可选）').fill(department);
  // Keyboard only: Enter in the form signs in.
  await page.getByLabel('工号').press('Enter');
  await page.locator('.who').filter({ hasText: sub }).waitFor();
  return page;
}

/** The time one suite's setup may take: an API, a worker and a browser start on two cores shared with the others. */
export const SETUP_TIMEOUT_MS = 180_000;

export interface ConsoleSuite {
  /** The API (with its worker, when asked) and the served console; readable once the suite's first beforeAll ran. */
  api: ApiHarness;
  world: ConsoleWorld;
  call: ConsoleWorld['call'];
}

/**
 * A suite's API (and a complaint worker with `worker`) with the console served on it, started in the
 * suite's first beforeAll and closed in an afterAll it registers itself.
 */
export function useConsole(opts: { worker?: boolean } = {}): ConsoleSuite {
  let api: ApiHarness | undefined;
  let worker: { stop(): Promise<void> } | undefined;
  let world: ConsoleWorld | undefined;
  beforeAll(async () => {
    api = await startApi();
    if (opts.worker) worker = await startWorker(api);
    world = await serveConsole(api);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await world?.close();
    await worker?.stop();
    await api?.close();
  });
  return {
    api: lateBound(() => api, "the console suite's API"),
    world: lateBound(() => world, "the console suite's console"),
    call: (claims, method, route, body) => {
      if (!world) throw new Error('the console suite called the API before its beforeAll ran');
      return world.call(claims, method, route, body);
    },
  };
}

export interface CaseSuite extends ConsoleSuite {
  /** The case's customer, order and merchant, one caller of each role, and the case's id. */
  p: ReturnType<typeof party>;
  as: Record<Role, Claims>;
  id: string;
  /**
   * Keeps a closed copy of the case in the store as `<id>.<n>`, with the resolution `resolve` gives it
   * (read as a retained case: its workflow is gone), so a suite shows a finished plan without driving
   * one through its retries. Returns the copy's id.
   */
  keepClosed: (
    n: number,
    resolve: (live: CaseViewV1, at: string) => Partial<CaseViewV1['resolution']>,
  ) => Promise<string>;
}

/**
 * A suite about one case on the console (useConsole, with a worker): the party's order in the sandbox
 * (`amountPaidFen`), the case opened by its customer (`open`: overrides of the body, its `subType`
 * naming the case) and taken by the agent; the suite's own beforeAll takes the case further.
 */
export function useConsoleCase(
  open: { subType: string } & Record<string, unknown>,
  opts: { amountPaidFen?: number } = {},
): CaseSuite {
  const suite = useConsole({ worker: true });
  const { api, call } = suite;
  const p = party();
  const as = callers(p.customerId, p.merchantId);
  const id = complaintWorkflowId(p.customerId, p.orderId, open.subType);
  beforeAll(async () => {
    putOrder(api.sandbox, p, opts.amountPaidFen);
    const opened = await call(as.customer, 'POST', '/v1/complaints', openBody(p, open));
    if (opened.status !== 201)
      throw new Error(`the case did not open: ${opened.status} ${JSON.stringify(opened.body)}`);
    await eventually(
      () => call(as.agent, 'POST', `/v1/complaints/${id}/assign`, { agentId: as.agent.sub }),
      (r) => r.status === 200,
      'the case assigned',
    );
  }, SETUP_TIMEOUT_MS);
  const keepClosed: CaseSuite['keepClosed'] = async (n, resolve) => {
    const live = (await call(as.supervisor, 'GET', `/v1/complaints/${id}`)).body as CaseViewV1;
    const at = new Date().toISOString();
    const kept = `${id}.${n}`;
    await writeCase(
      api.db.cases,
      {
        ...live,
        complaintId: kept,
        workflowId: kept,
        status: 'closed',
        closeReason: 'resolved',
        closedAt: at,
        deadlines: [],
        resolution: { ...live.resolution, ...resolve(live, at), executedAt: at },
      },
      1,
    );
    return kept;
  };
  return { ...suite, p, as, id, keepClosed };
}
