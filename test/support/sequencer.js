const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const measured = require('./suite-times.json');

const ROOT = path.resolve(__dirname, '../..');

/**
 * Jest starts the suites it has timed longest first, so that no worker is left alone with a long
 * suite at the end; a suite it has not timed it orders by file size. A fresh clone has no timings,
 * and a short file can hold a long suite (the replay suite is ~70 lines and among the longest), so
 * there the committed seconds of the last measured run stand in (scripts/suite-times.ts writes
 * them; docs/house.md, "Where the test time goes"). Timings of this machine's own runs come first.
 */
class LongestFirst extends Sequencer {
  time(test) {
    const own = super.time(test);
    if (own !== undefined) return own;
    const seconds = measured[path.relative(ROOT, test.path).split(path.sep).join('/')];
    return seconds === undefined ? undefined : seconds * 1000;
  }
}

module.exports = LongestFirst;
