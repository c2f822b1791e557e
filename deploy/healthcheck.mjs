// Container healthcheck without curl in the image: `node deploy/healthcheck.mjs <url>` exits 0 on
// a 2xx answer within 4 s, 1 otherwise.
/* global fetch, AbortSignal -- Node 20 globals */
import process from 'node:process';

const url = process.argv[2];
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4_000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
