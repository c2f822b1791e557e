import type { IncrementResponse, Options, Store as LimiterStore } from 'express-rate-limit';
import { ConnectionStates, type Connection } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

/**
 * The API's rate-limit counts, in MongoDB, so that every API process behind a balancer counts
 * against one allowance per address or caller (docs/api-limits.md). One document per limit and
 * key: the hits in its window and when the window ends. A TTL index removes a document once its
 * window has passed; the TTL monitor runs about once a minute, so an increment that meets a passed
 * window starts a new one itself.
 */
export const RATE_LIMIT_COLLECTION = 'rate_limits';

interface Counter {
  _id: string;
  hits: number;
  resetAt: Date;
}

export async function ensureRateLimitIndexes(connection: Connection): Promise<void> {
  await counters(connection).createIndex({ resetAt: 1 }, { expireAfterSeconds: 0 });
}

/**
 * The driver's collection, not a mongoose model: mongoose would hold an operation while the server
 * is away (up to its buffer timeout), where the limiter wants an answer within `timeoutMS`. A
 * server known to be away (the connection saw it go) is not waited for at all.
 */
function counters(connection: Connection) {
  const db = connection.db;
  if (!db || connection.readyState !== ConnectionStates.connected) throw new Error('not connected to MongoDB');
  return db.collection<Counter>(RATE_LIMIT_COLLECTION);
}

/**
 * express-rate-limit's Store over that collection, one per limit (`prefix` keeps their keys apart).
 * Every operation is one atomic update, bounded by `timeoutMS` (server selection included).
 */
export class MongoRateLimitStore implements LimiterStore {
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly connection: Connection,
    readonly prefix: string,
    private readonly timeoutMS: number,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const collection = counters(this.connection);
    const _id = this.prefix + key;
    const { timeoutMS } = this;
    // Two rounds at most: a passed window is restarted in the first, by this process or another.
    for (let round = 0; round < 2; round++) {
      const now = new Date();
      const resetAt = new Date(now.getTime() + this.windowMs);
      try {
        // Inside the window: one more hit. No document: a new window, with this hit.
        const counter = await collection.findOneAndUpdate(
          { _id, resetAt: { $gt: now } },
          { $inc: { hits: 1 }, $setOnInsert: { resetAt } },
          { upsert: true, returnDocument: 'after', timeoutMS },
        );
        if (counter) return { totalHits: counter.hits, resetTime: counter.resetAt };
      } catch (err) {
        // The document is there, outside the window (or another process inserted it first).
        if (!isDuplicateKey(err)) throw err;
      }
      // Only one process can move a passed window on; any other counts in the new one next round.
      const restarted = await collection.updateOne(
        { _id, resetAt: { $lte: now } },
        { $set: { hits: 1, resetAt } },
        { timeoutMS },
      );
      if (restarted.modifiedCount === 1) return { totalHits: 1, resetTime: resetAt };
    }
    throw new Error(`rate limit ${_id}: the count kept changing under this process`);
  }

  async decrement(key: string): Promise<void> {
    await counters(this.connection).updateOne(
      { _id: this.prefix + key, resetAt: { $gt: new Date() }, hits: { $gt: 0 } },
      { $inc: { hits: -1 } },
      { timeoutMS: this.timeoutMS },
    );
  }

  async resetKey(key: string): Promise<void> {
    await counters(this.connection).deleteOne({ _id: this.prefix + key }, { timeoutMS: this.timeoutMS });
  }
}
