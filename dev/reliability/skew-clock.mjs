// Preloaded into one worker process (NODE_OPTIONS=--import) by the reliability run: its JavaScript
// clock runs CLOCK_SKEW_MS ahead (or behind), as on a host whose clock is off. Activities, the HTTP
// clients and the logs read this Date; the SDK's Rust core and the workflow sandbox do not (workflow
// time comes from Temporal's history), which is what a skewed host gives a Temporal worker too,
// except the core's own timeouts. libfaketime, which would skew the whole process, is not installed here.
const skew = Number(globalThis.process.env.CLOCK_SKEW_MS ?? 0);
const RealDate = Date;
// Named Date, and any Date is an instance of it: libraries check both (mongoose's schema types by name).
const SkewedDate = class Date extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + skew);
    else super(...args);
  }
  static now() {
    return RealDate.now() + skew;
  }
  static [Symbol.hasInstance](value) {
    return value instanceof RealDate;
  }
};
globalThis.Date = SkewedDate;
