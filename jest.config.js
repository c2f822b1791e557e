/**
 * Two tiers. `unit`: pure code (shared rules, error mapping, store utilities, wording), no server,
 * seconds (`npx jest --selectProjects unit`). `integration`: everything else, against real servers
 * that globalSetup starts once; each test uses its own ids and task queue.
 */
const unitTests = [
  '<rootDir>/test/shared/',
  '<rootDir>/test/bench/',
  '<rootDir>/test/house/',
  '<rootDir>/test/api/errors.test.ts',
  '<rootDir>/test/workflows/settledRule.test.ts',
  '<rootDir>/test/workflows/activations.test.ts',
  '<rootDir>/test/api/views.test.ts',
  '<rootDir>/test/api/resend.test.ts',
  '<rootDir>/test/console/apiResend.test.ts',
  '<rootDir>/test/store/mongoErrors.test.ts',
  '<rootDir>/test/activities/wording.test.ts',
  '<rootDir>/test/activities/customerMessages.test.ts',
  '<rootDir>/test/workflows/oneWayToWait.test.ts',
  '<rootDir>/test/workflows/legacyFrozen.test.ts',
  '<rootDir>/test/workflows/patchRegistry.test.ts',
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest'] },
  // jose is ESM-only; Jest on Node 20 cannot require it untransformed.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};

module.exports = {
  ...common,
  testTimeout: 120_000,
  maxWorkers: 2,
  // The longest suites first, also on a clone that has not timed them (test/support/sequencer.js).
  testSequencer: '<rootDir>/test/support/sequencer.js',
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/test/'],
      testMatch: unitTests.map((p) => (p.endsWith('/') ? `${p}**/*.test.ts` : p)),
    },
    {
      ...common,
      displayName: 'integration',
      testPathIgnorePatterns: ['/node_modules/', ...unitTests],
      globalSetup: '<rootDir>/test/support/globalSetup.ts',
      globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
    },
  ],
};
