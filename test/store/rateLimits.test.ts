import type { Options } from 'express-rate-limit';
import { openStore, type Store } from '../../store/connection';
import { MongoRateLimitStore, RATE_LIMIT_COLLECTION } from '../../store/rateLimits';
import { dropStore, freshDbUri } from './fixtures';

/**
 * The rate limits' counts (docs/api-limits.md): two connections to one database stand for two API
 * processes. A window's end is made by moving the stored end into the past, never by waiting.
 */

const WINDOW_MS = 3_600_000;
const uri = freshDbUri('rate-limits');
let a: Store;
let b: Store;
beforeAll(async () => {
  [a, b] = await Promise.all([openStore(uri), openStore(uri)]);
});
afterAll(async () => {
  await b.connection.close();
  await dropStore(a);
});

function limiterStore(db: Store): MongoRateLimitStore {
  const store = new MongoRateLimitStore(db.connection, 'test:', 30_000);
  store.init({ windowMs: WINDOW_MS } as Options);
  return store;
}
const counters = () => a.connection.db!.collection<{ _id: string; hits: number; resetAt: Date }>(RATE_LIMIT_COLLECTION);

/**
 * Request k of a window must be told at least k, or more than the limit would pass. MongoDB tells it
 * exactly k; the stand-in reads the document back after the update rather than with it, so a
 * request may also see hits that came after it (docs/operations.md, "The MongoDB-wire stand-in").
 */
function expectEachToldAtLeastItsPlace(told: number[]): void {
  const sorted = [...told].sort((x, y) => x - y);
  sorted.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(i + 1));
}
const storedHits = async (id: string) => (await counters().findOne({ _id: id }))?.hits;

it('counts every hit once when two processes count one key at the same moment', async () => {
  const [one, two] = [limiterStore(a), limiterStore(b)];
  const hits = 20;
  const answers = await Promise.all(
    Array.from({ length: hits }, (_, i) => (i % 2 ? one : two).increment('203.0.113.1')),
  );
  expectEachToldAtLeastItsPlace(answers.map((r) => r.totalHits));
  expect(Math.max(...answers.map((r) => r.totalHits))).toBe(hits);
  expect(await storedHits('test:203.0.113.1')).toBe(hits);
  expect(new Set(answers.map((r) => r.resetTime?.getTime())).size).toBe(1);
});

it('starts a new window at 1 once the window has passed, once for both processes', async () => {
  const [one, two] = [limiterStore(a), limiterStore(b)];
  for (let i = 0; i < 5; i++) await one.increment('203.0.113.2');
  // The window ended a second ago; the TTL monitor has not removed the document yet.
  await counters().updateOne({ _id: 'test:203.0.113.2' }, { $set: { resetAt: new Date(Date.now() - 1000) } });
  const answers = await Promise.all([one.increment('203.0.113.2'), two.increment('203.0.113.2')]);
  expect(Math.min(...answers.map((r) => r.totalHits))).toBe(1);
  expectEachToldAtLeastItsPlace(answers.map((r) => r.totalHits));
  expect(await storedHits('test:203.0.113.2')).toBe(2);
  for (const r of answers) expect(r.resetTime!.getTime()).toBeGreaterThan(Date.now());
});

it('takes back a hit (a request that does not count) without going below zero', async () => {
  const one = limiterStore(a);
  await one.increment('203.0.113.3');
  await one.decrement('203.0.113.3');
  await one.decrement('203.0.113.3');
  expect((await one.increment('203.0.113.3')).totalHits).toBe(1);
});

it('keeps the limits apart by prefix, and forgets a key on reset', async () => {
  const readyz = new MongoRateLimitStore(a.connection, 'readyz:', 30_000);
  readyz.init({ windowMs: WINDOW_MS } as Options);
  const caller = limiterStore(a);
  await caller.increment('203.0.113.4');
  expect((await readyz.increment('203.0.113.4')).totalHits).toBe(1);
  await caller.resetKey('203.0.113.4');
  expect((await caller.increment('203.0.113.4')).totalHits).toBe(1);
});

it('has MongoDB remove a count once its window has ended (TTL index on the window end)', async () => {
  const ttl = (await counters().indexes()).find((i) => i.key.resetAt === 1);
  expect(ttl?.expireAfterSeconds).toBe(0);
});
