import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflow code is deterministic and shared/ is bundled into it: no Node built-in, no I/O library.
const deterministic = 'workflow code is deterministic: side effects belong in activities/';
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_')).flatMap((name) => [name, `node:${name}`]);
const ioModules = ['mongoose', 'mongodb', 'express', 'undici', 'pino', 'execa'];
const banned = [...new Set([...nodeBuiltins, ...ioModules])].map((name) => ({ name, message: deterministic }));
// A bare folder ('../activities') hides which module is imported and pulls in its whole index.
const FOLDERS = 'activities|api|clients|config|dev|sandbox|scripts|shared|store|workers|workflows|legacy';

function workflowImports({ namedModules }) {
  return {
    paths: banned,
    patterns: [
      { group: ['node:*'], message: deterministic },
      {
        group: ['../activities/*', '../api/*', '../workers/*', '../store/*', '../config/*', '../clients/*', '../dev/*'],
        allowTypeImports: true,
        message: 'workflows import only shared/ and @temporalio/workflow',
      },
      ...(namedModules ? [{ regex: `^(\\.{1,2}/)+(${FOLDERS})/?$`, message: 'name the module, not the folder' }] : []),
    ],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'coverage/', 'test/histories/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', workflowImports({ namedModules: true })],
    },
  },
  // A promise the case does not hold is work continue-as-new and close cannot wait for: track it (Case.track).
  { files: ['workflows/**/*.ts'], ignores: ['workflows/legacy/**'], rules: { 'no-void': 'error' } },
  // The frozen generation (never edited) keeps its folder imports.
  {
    files: ['workflows/legacy/rev2/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', workflowImports({ namedModules: false })] },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['jest.config.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
  // Jest requires its test sequencer as plain CommonJS, untransformed.
  {
    files: ['test/support/sequencer.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
