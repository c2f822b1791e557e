import { parseArgs } from 'node:util';
import { signToken, type Claims } from '../api/auth';
import { loadConfig } from '../config';

/**
 * `npm run demo`: fills a running stack (`npm start`) with a realistic day of complaints through
 * the public API, so the console (/console) shows a working desk:
 *   npm run demo -- [--cases 300] [--seed 7] [--api http://localhost:3000] [--sandbox http://localhost:3100]
 * The orders and customers come from the provider sandbox's own set-up routes (sandbox/), as a
 * test's do; everything people do to a case goes through /v1 with each person's own dev token.
 */

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '300' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    api: { type: 'string' },
    sandbox: { type: 'string' },
    concurrency: { type: 'string', default: '20' },
  },
});
const config = loadConfig();
const API = values.api ?? `http://localhost:${config.API_PORT}`;
const SANDBOX = values.sandbox ?? `http://localhost:${config.SANDBOX_PORT}`;
const CASES = Number(values.cases);
const CONCURRENCY = Number(values.concurrency);

/** A seeded generator (mulberry32): the same seed gives the same day. */
let state = Number(values.seed) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let x = state;
  x = Math.imul(x ^ (x >>> 15), x | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
function weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
  let r = random() * table.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of table) if ((r -= w) < 0) return value;
  return table[0][0];
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
];
const CHANNELS = [
  ['app', 40],
  ['web', 12],
  ['order_after_sales', 15],
  ['phone', 10],
  ['wechat', 8],
  ['weibo', 4],
  ['douyin', 4],
  ['complaint_centre', 3],
  ['third_party', 2],
  ['email', 1],
  ['sms', 1],
] as const;

/** What people complain about (docs/domain.md §2.1), how often, what they say and what they want. */
const PROBLEMS = [
  {
    subType: 'quality_defect',
    weight: 22,
    outcome: 'refund',
    text: ['电水壶用了两天就漏水', '耳机左耳没有声音', '衣服洗一次就开线了', '充电宝充不进电'],
  },
  {
    subType: 'not_as_described',
    weight: 10,
    outcome: 'exchange',
    text: ['收到的颜色和图片不一样', '尺码比描述的小一号', '材质不是页面写的纯棉'],
  },
  { subType: 'function_mismatch', weight: 4, outcome: 'refund', text: ['说是支持快充，实际不支持', '蓝牙连不上手机'] },
  { subType: 'expired', weight: 3, outcome: 'refund', text: ['牛奶收到时已经过期', '零食保质期只剩三天'] },
  { subType: 'delayed', weight: 14, outcome: 'compensation', text: ['下单一周了还没发货', '物流五天没有更新'] },
  { subType: 'lost', weight: 4, outcome: 'refund', text: ['物流显示丢件', '快递说包裹找不到了'] },
  {
    subType: 'damaged_in_transit',
    weight: 6,
    outcome: 'refund',
    text: ['收到时外箱破损，杯子碎了', '屏幕在运输中摔裂了'],
  },
  { subType: 'false_delivery', weight: 3, outcome: 'refund', text: ['显示已签收，但我没有收到'] },
  { subType: 'rude_agent', weight: 5, outcome: 'apology', text: ['客服态度很差，直接挂电话'] },
  { subType: 'slow_reply', weight: 4, outcome: 'apology', text: ['问了三次都没人回复'] },
  { subType: 'refund_blocked', weight: 8, outcome: 'refund', text: ['退货寄回十天了还没退款', '商家一直拒绝退款申请'] },
  { subType: 'warranty_dispute', weight: 3, outcome: 'repair', text: ['保修期内商家拒绝维修'] },
  { subType: 'counterfeit', weight: 3, outcome: 'refund', text: ['怀疑是假货，做工和专柜不一样'] },
  { subType: 'false_advertising', weight: 1, outcome: 'refund', text: ['宣传的功效完全没有'] },
] as const;

/** How far through its life each case gets today (the share of the day's cases). */
const STAGES = [
  ['new', 16],
  ['taken', 12],
  ['answered', 18],
  ['briefed', 10],
  ['awaiting_approval', 10],
  ['rejected', 2],
  ['solution', 10],
  ['accepted', 8],
  ['closed', 12],
  ['reopened', 2],
] as const;
type Stage = (typeof STAGES)[number][0];
const ORDER_OF: Stage[] = STAGES.map(([s]) => s);
const reached = (stage: Stage, step: Stage) => ORDER_OF.indexOf(stage) >= ORDER_OF.indexOf(step);

/** A few merchants draw many complaints (the group-complaint rule makes them high priority); most draw one or two. */
const BAD_MERCHANTS = ['m-2001', 'm-2002', 'm-2003'];
const merchantFor = () => (random() < 0.15 ? pick(BAD_MERCHANTS) : `m-${2004 + Math.floor(random() * 140)}`);

const tokens = new Map<string, Promise<string>>();
function bearer(claims: Claims): Promise<string> {
  const key = JSON.stringify(claims);
  if (!tokens.has(key))
    tokens.set(
      key,
      signToken(config.JWT_SECRET, claims).then((t) => `Bearer ${t}`),
    );
  return tokens.get(key)!;
}

class Refused extends Error {}

async function http(
  url: string,
  method: string,
  body?: unknown,
  authorization?: string,
): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(authorization && { authorization }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    // Busy (rate limit, a slow worker): wait and try again; anything else the caller decides about.
    if ((res.status === 429 || res.status === 503) && attempt < 6) {
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
      continue;
    }
    if (!res.ok)
      throw new Refused(`${method} ${url.replace(API, '')} → ${res.status} ${JSON.stringify(answer.error ?? answer)}`);
    return answer;
  }
}

const act = async (who: Claims, id: string, action: string, body: object) =>
  http(`${API}/v1/complaints/${encodeURIComponent(id)}/${action}`, 'POST', body, await bearer(who));

/** Waits for the workflow to move the case on (execution, the objection window) before the customer answers. */
async function untilStatus(who: Claims, id: string, status: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const view = await http(`${API}/v1/complaints/${encodeURIComponent(id)}`, 'GET', undefined, await bearer(who));
    if (view.status === status) return;
    if (Date.now() > until) throw new Refused(`${id} stayed ${String(view.status)}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

const AGENTS = ['agent-7', 'agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', 'agent-6', 'agent-8'].map((sub) => ({
  sub,
  role: 'agent' as const,
}));
const SUPERVISOR: Claims = { sub: 'sup-1', role: 'supervisor' };
const COMPLIANCE: Claims = { sub: 'cmp-1', role: 'compliance' };
const run = Date.now().toString(36);

/** One customer's complaint, driven as far as its stage of the day. */
async function oneCase(n: number): Promise<Stage> {
  const stage = weighted(STAGES);
  const problem = weighted(PROBLEMS.map((p) => [p, p.weight] as const));
  const customerId = `c-${run}-${n}`;
  const orderId = `o-${run}-${n}`;
  const merchantId = merchantFor();
  const sku = `sku-${merchantId.slice(2)}-${1 + Math.floor(random() * 3)}`;
  // Cases headed for approval were big orders: a refund above 500 CNY needs a supervisor (docs/domain.md §7.4).
  const paidFen =
    stage === 'awaiting_approval' || stage === 'rejected'
      ? 60_000 + Math.floor(random() * 200) * 1000
      : 3_000 + Math.floor(random() * 400) * 100;
  const customer: Claims = { sub: customerId, role: 'customer', customerId };
  const name = pick(SURNAMES) + pick(GIVEN) + (random() < 0.5 ? pick(GIVEN) : '');

  await http(`${SANDBOX}/customers/${customerId}`, 'PUT', {
    name,
    tier: random() < 0.1 ? 'vip' : 'regular',
    locale: random() < 0.05 ? 'en' : 'zh-CN',
  });
  await http(`${SANDBOX}/orders/${orderId}`, 'PUT', {
    customerId,
    merchantId,
    amountPaidFen: paidFen,
    items: [{ sku, quantity: 1, priceFen: paidFen }],
    paidAt: new Date(Date.now() - (2 + random() * 20) * 86_400_000).toISOString(),
  });
  const opened = await http(
    `${API}/v1/complaints`,
    'POST',
    {
      channel: weighted(CHANNELS),
      customer: {
        id: customerId,
        name,
        phone: `+86139${String(10_000_000 + Math.floor(random() * 89_999_999))}`,
        memberTier: 'regular',
      },
      order: { orderId, merchantId, sku },
      subType: problem.subType,
      description: pick(problem.text),
      desiredOutcome: problem.outcome,
      evidence: random() < 0.6 ? [{ kind: 'photo', url: `https://img.example.com/${orderId}.jpg`, note: '' }] : [],
    },
    await bearer(customer),
  );
  const id = String(opened.complaintId);
  const compliance = opened.category === 'compliance';
  if (stage === 'new') return stage;

  const agent = pick(AGENTS);
  await act(agent, id, 'assign', { agentId: agent.sub });
  if (!reached(stage, 'answered')) return stage;
  await act(agent, id, 'first-response', {
    message: '您好，已收到您的反馈，我们正在核实，今天内给您答复。',
    requestEvidence: random() < 0.1,
  });
  if (!reached(stage, 'briefed')) return stage;
  await act(agent, id, 'investigation/brief', {
    responsibility: pick(['merchant', 'merchant', 'carrier', 'platform', 'undetermined']),
    findings: '已核对订单、物流和聊天记录，情况属实。',
  });
  if (!reached(stage, 'awaiting_approval')) return stage;

  // Below the threshold an agent grants it alone; big refunds and compliance cases wait for approval.
  const big = stage === 'awaiting_approval' || stage === 'rejected';
  const amountFen = big
    ? Math.min(paidFen, 50_000 + Math.floor(random() * 100) * 1000)
    : Math.min(paidFen, 1_000 + Math.floor(random() * 40) * 500);
  // A goodwill coupon for bad service; an exchange waits in execution for the goods to come back.
  const proposal =
    problem.outcome === 'apology'
      ? { type: 'coupon', couponFen: 1_000, note: '赠送 10 元优惠券表示歉意。' }
      : problem.outcome === 'exchange' && stage === 'solution'
        ? { type: 'exchange', note: '为您换货，请按短信寄回原商品。' }
        : { type: 'refund', amountFen, note: '按原支付方式退款，以核实结果为准。' };
  await act(
    agent,
    id,
    'resolution',
    big ? { type: 'refund', amountFen, note: '按原支付方式退款，以核实结果为准。' } : proposal,
  );
  if (stage === 'awaiting_approval') return stage;
  if (stage === 'rejected') {
    await act(compliance ? COMPLIANCE : SUPERVISOR, id, 'approval', {
      decision: 'reject',
      reason: '金额偏高，请先与商家协商部分退款',
    });
    return stage;
  }
  if (compliance) await act(COMPLIANCE, id, 'approval', { decision: 'approve', reason: '证据充分' });
  if (stage === 'solution') return stage;
  await untilStatus(customer, id, 'awaiting_customer');
  await act(customer, id, 'customer-response', { accept: true });
  if (stage === 'accepted') return stage;
  await untilStatus(customer, id, 'awaiting_feedback');
  const rating =
    stage === 'reopened'
      ? pick([1, 2])
      : weighted([
          [5, 50],
          [4, 30],
          [3, 20],
        ] as const);
  await act(customer, id, 'satisfaction', { rating, comment: rating >= 4 ? '处理很及时' : '一般' });
  return stage;
}

async function main(): Promise<void> {
  await http(`${API}/healthz`, 'GET').catch(() => {
    throw new Error(`no API at ${API}: start the stack first (npm start), or say where it is with --api`);
  });
  console.log(`Filling ${API} with ${CASES} complaints (seed ${values.seed}, ${CONCURRENCY} at a time)…`);
  const done = new Map<string, number>();
  const failures: string[] = [];
  let next = 0;
  let finished = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CASES) {
        const n = next++;
        try {
          const stage = await oneCase(n);
          done.set(stage, (done.get(stage) ?? 0) + 1);
        } catch (err) {
          // A refusal is part of a realistic day (the workflow said no); it is reported, not fatal.
          if (!(err instanceof Refused)) throw err;
          failures.push(err.message);
        }
        if (++finished % 25 === 0) console.log(`  ${finished}/${CASES} cases`);
      }
    }),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`\nDone in ${seconds} s. Where the day's cases stand:`);
  for (const [stage] of STAGES) console.log(`  ${stage.padEnd(18)} ${done.get(stage) ?? 0}`);
  if (failures.length) console.log(`\n${failures.length} steps were refused by the API (first: ${failures[0]})`);
  console.log(`
Open the console: ${API}/console
  agent        agent-7 — the queues (unanswered cases breach their first-response deadline
               15 service minutes after opening and climb to the supervisor)
  supervisor   sup-1   — approvals (refunds above 500 CNY) and escalated cases
  ops_manager  ops-1   — the day in charts, each case linked to its workflow in the Temporal Web UI`);
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
