/**
 * `npm run test:cluster` (scripts/cluster-test.ts) runs Jest with this config against the cluster it
 * started: the API suites and the cluster's own checks. The default `npm test` run never matches
 * these files' `.cluster-test.ts` ending, so it needs no PostgreSQL.
 */
/* global require, module -- CommonJS, as Jest loads its config */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the default run's settings, shared
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  // The default run's tiers are not this run's: one project, the files below.
  projects: undefined,
  rootDir: '../..',
  testMatch: ['<rootDir>/test/api/**/*.test.ts', '<rootDir>/test/cluster/**/*.cluster-test.ts'],
  globalSetup: '<rootDir>/test/cluster/globalSetup.ts',
  globalTeardown: undefined,
};
