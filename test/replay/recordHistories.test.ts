import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { HISTORIES_DIR } from '../../dev/stack/harness';

/**
 * A generation of histories stands for cases that code version started and that may still be running:
 * `npm run record-histories` never writes into one that exists (docs/versioning.md).
 */

const record = (env: Record<string, string | undefined>) =>
  spawnSync('npm', ['run', '-s', 'record-histories'], {
    cwd: path.join(__dirname, '../..'),
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

it('refuses to record into an existing generation, and writes nothing', () => {
  const generation = readdirSync(HISTORIES_DIR).sort()[0];
  const before = readdirSync(path.join(HISTORIES_DIR, generation)).sort();
  const run = record({ GENERATION: generation });
  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain(`test/histories/${generation} exists`);
  expect(readdirSync(path.join(HISTORIES_DIR, generation)).sort()).toEqual(before);
});

it('refuses to record without a generation name', () => {
  const run = record({ GENERATION: undefined });
  expect(run.status).not.toBe(0);
  expect(run.stderr).toMatch(/name the generation/);
});
