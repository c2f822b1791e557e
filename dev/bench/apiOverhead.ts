import { signToken } from '../../api/auth';
import { addEvidenceUpdate, assignUpdate, firstResponseUpdate, merchantReplyUpdate } from '../../shared/messages';
import type { FloorPlan } from './floorWorkflow';
import { AGENT, type BenchCase, newStats, openRequest, putOrder } from './lifecycle';
import { percentile, round } from './measure';
import { table } from './report';
import type { LatencyRow } from './targets';
import { type Bench, inParallel } from './run';

/** The bench's API section: what the API adds to an update and to an intake, against a bare Temporal client. */

/** A caller's update, sent through the API or as a bare client sends it. */
interface UpdatePath {
  caller: 'staff' | 'customer' | 'merchant';
  /** The cases it is sent to; a one-time update (the merchant's reply) needs a fresh case per sample. */
  cases: BenchCase[];
  api: (c: BenchCase) => Promise<unknown>;
  bare: (c: BenchCase) => Promise<unknown>;
}

/**
 * An update through the API against the same update from a bare client, for each kind of
 * caller (staff; a customer and a merchant, whose case the API must first find to be theirs), and
 * opening a case through the API against opening the floor's with a bare client. Alternating, one
 * at a time, after a warm-up.
 */
export async function apiOverhead(bench: Bench, plan: FloorPlan, samples: number): Promise<void> {
  const { world } = bench;
  // Tokens are signed before the clock starts: a client signs in once, not per request.
  const tokens = new Map<string, string>();
  const bearer = async (claims: Parameters<typeof signToken>[1]) => {
    const key = JSON.stringify(claims);
    if (!tokens.has(key)) tokens.set(key, await signToken(world.env.JWT_SECRET, claims));
    return tokens.get(key)!;
  };
  const post = async (path: string, claims: Parameters<typeof signToken>[1], body: unknown) => {
    const token = await bearer(claims);
    const res = await fetch(`${world.apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const handle = (c: BenchCase) => world.client.workflow.getHandle(c.id);
  const evidence = { items: [{ kind: 'photo' as const, url: 'https://img.example/kettle.jpg', note: '' }] };
  const reply = { message: '同意退货退款', accepts: true };
  const merchantOf = (c: BenchCase) => ({
    sub: `${c.order.merchantId}-staff`,
    role: 'merchant' as const,
    merchantId: c.order.merchantId,
  });

  const reusable = Array.from({ length: 20 }, () => bench.nextCase('a'));
  const warmup = 20;
  // The merchant answers once per case: a case at the investigation per sample and per path.
  const investigating = Array.from({ length: 2 * (warmup + Math.ceil(samples / 4)) }, () => bench.nextCase('m'));
  await inParallel([...reusable, ...investigating], 8, async (c) => {
    await putOrder(world.sandboxUrl, c);
    await bench.ours().open(c, newStats());
  });
  await inParallel(investigating, 8, async (c) => {
    await handle(c).executeUpdate(assignUpdate, { args: [{ agentId: AGENT.sub, actor: AGENT }] });
    await handle(c).executeUpdate(firstResponseUpdate, {
      args: [{ message: 'We are checking the kettle.', requestEvidence: false, actor: AGENT }],
    });
  });
  const paths: UpdatePath[] = [
    {
      caller: 'staff',
      cases: reusable,
      api: (c) => post(`/v1/complaints/${c.id}/assign`, { sub: AGENT.sub, role: 'agent' }, { agentId: AGENT.sub }),
      bare: (c) => handle(c).executeUpdate(assignUpdate, { args: [{ agentId: AGENT.sub, actor: AGENT }] }),
    },
    {
      caller: 'customer',
      cases: reusable,
      api: (c) =>
        post(
          `/v1/complaints/${c.id}/evidence`,
          { sub: c.customer.sub, role: 'customer', customerId: c.order.customerId },
          evidence,
        ),
      bare: (c) => handle(c).executeUpdate(addEvidenceUpdate, { args: [{ ...evidence, actor: c.customer }] }),
    },
    {
      caller: 'merchant',
      cases: investigating,
      api: (c) => post(`/v1/complaints/${c.id}/merchant-reply`, merchantOf(c), reply),
      bare: (c) =>
        handle(c).executeUpdate(merchantReplyUpdate, {
          args: [{ ...reply, actor: { sub: merchantOf(c).sub, role: 'merchant', merchantId: c.order.merchantId } }],
        }),
    },
  ];
  const figures: Record<string, { api: LatencyRow; bare: LatencyRow }> = {};
  const rows: Array<Record<string, unknown>> = [];
  for (const path of paths) {
    const n = path.caller === 'merchant' ? Math.ceil(samples / 4) : samples;
    const timings = await alternate(warmup + n, warmup, (i, which) => {
      // Reusable cases in turn, so an update never waits behind the projection write of the one before on that case.
      const c = path.cases === reusable ? reusable[i % reusable.length] : path.cases[2 * i + (which === 'api' ? 0 : 1)];
      return path[which](c);
    });
    figures[path.caller] = pair(timings);
    rows.push(...overheadRows(`${path.caller} update`, timings));
  }
  const opening = Array.from(
    { length: warmup + samples / 4 },
    () => [bench.nextCase('o'), bench.nextCase('o')] as const,
  );
  await inParallel(opening.flat(), 8, (c) => putOrder(world.sandboxUrl, c));
  const floor = bench.floor(plan);
  const openTimings = await alternate(opening.length, warmup, (i, which) =>
    which === 'api'
      ? post(
          '/v1/complaints',
          { sub: opening[i][0].customer.sub, role: 'customer', customerId: opening[i][0].order.customerId },
          openRequest(opening[i][0]),
        )
      : floor.open(opening[i][1], newStats()),
  );
  figures.open = pair(openTimings);
  rows.push(...overheadRows("open (API) vs the floor's open (bare)", openTimings));
  table(
    'through the API vs a bare Temporal client, alternating, one at a time; target ≤ 1.25 × bare at p50 and p99',
    rows,
  );
  bench.results.api = figures;
}

type Timings = { api: number[]; bare: number[] };

async function alternate(
  rounds: number,
  warmup: number,
  send: (i: number, which: 'api' | 'bare') => Promise<unknown>,
): Promise<Timings> {
  const timings: Timings = { api: [], bare: [] };
  for (let i = 0; i < rounds; i++) {
    for (const which of i % 2 ? (['api', 'bare'] as const) : (['bare', 'api'] as const)) {
      const t = performance.now();
      await send(i, which);
      if (i >= warmup) timings[which].push(performance.now() - t);
    }
  }
  return timings;
}

const latency = (path: string, xs: number[]): LatencyRow => ({
  path,
  p50ms: round(percentile(xs, 50)),
  p99ms: round(percentile(xs, 99)),
});
const pair = (t: Timings) => ({ api: latency('API', t.api), bare: latency('bare client', t.bare) });

function overheadRows(what: string, t: Timings): Array<Record<string, unknown>> {
  const { api, bare } = pair(t);
  return [
    { what, path: bare.path, samples: t.bare.length, p50ms: bare.p50ms, p99ms: bare.p99ms },
    { what, path: api.path, samples: t.api.length, p50ms: api.p50ms, p99ms: api.p99ms },
    {
      what,
      path: 'ratio API/bare',
      samples: '',
      p50ms: round(api.p50ms / bare.p50ms, 2),
      p99ms: round(api.p99ms / bare.p99ms, 2),
    },
  ];
}
