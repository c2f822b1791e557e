import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = ['fs', 'path', 'http', 'https', 'net', 'child_process', 'os', 'crypto', 'mongoose', 'mongodb', 'express', 'undici', 'pino', 'execa'];
const banned = ioModules.flatMap((name) => [name, `node:${name}`]).map((name) => ({
  name,
  message: 'workflow code is deterministic: side effects belong in activities/',
}));

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'coverage/', 'test/histories/'] },
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
      'no-restricted-imports': ['error', { paths: banned, patterns: [{ group: ['../activities/*', '../api/*', '../workers/*', '../store/*', '../config/*'], allowTypeImports: true, message: 'workflows import only shared/ and @temporalio/workflow' }] }],
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['jest.config.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
);
