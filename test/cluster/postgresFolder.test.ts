import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import execa from 'execa';
import { ROOT } from '../../dev/paths';
import { preparePostgres } from '../../dev/stack/cluster';

/**
 * `npm run cluster` as root from a clone in a folder only root may enter (mode 0700: root's home, a
 * `mktemp -d`). PostgreSQL runs as the `postgres` user there, who cannot reach the clone's
 * .data/cluster: the start refuses at once, in one line with the reason and the fix, and the fix
 * (CLUSTER_DATA_DIR elsewhere) gets a database. Only the check and initdb: a whole cluster takes
 * minutes and a Go build, which `npm test` does not pay for.
 */

const isRoot = process.getuid?.() === 0;
const hasPostgres =
  existsSync('/usr/lib/postgresql') && execa.sync('id', ['-u', 'postgres'], { reject: false }).exitCode === 0;
const skipped = !isRoot
  ? 'skipped: not root, and then PostgreSQL runs as this user, who can enter its own folders'
  : !hasPostgres
    ? 'skipped: no PostgreSQL here (bash scripts/cluster-setup.sh installs it)'
    : '';

(skipped ? describe.skip : describe)(
  `npm run cluster from a clone in a 0700 folder${skipped ? ` (${skipped})` : ''}`,
  () => {
    let closed: string;
    let clone: string;
    let open: string;

    beforeAll(async () => {
      closed = mkdtempSync(path.join(tmpdir(), 'cluster-0700-'));
      expect(statSync(closed).mode & 0o777).toBe(0o700);
      clone = path.join(closed, 'complaints');
      await execa('git', ['clone', '--quiet', ROOT, clone]);
      // The clone's packages, as its `npm run setup` would install them, without a minute of npm ci.
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
      open = mkdtempSync(path.join(tmpdir(), 'cluster-data-'));
    }, 30_000);

    afterAll(() => {
      for (const dir of [closed, open]) if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('refuses at once, in one line naming the folder and the fix, and writes nothing', async () => {
      const t0 = Date.now();
      // This tree's entry point, run where `npm run cluster` runs it in the clone: its data folder
      // (.data/cluster) follows the working directory.
      const env = { ...process.env };
      delete env.CLUSTER_DATA_DIR;
      delete env.DATA_DIR;
      const run = await execa(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'cluster.ts')], {
        cwd: clone,
        env,
        extendEnv: false,
        reject: false,
        timeout: 25_000,
      });
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(run.exitCode).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`cannot enter ${closed} (mode 0700)`);
      expect(lines[0]).toContain('CLUSTER_DATA_DIR=');
      expect(lines[0]).toContain(`chmod o+x ${closed}`);
      expect(existsSync(path.join(clone, '.data', 'cluster'))).toBe(false);
    }, 30_000);

    it('is refused the same way by whatever else starts a cluster there (test:cluster, the bench)', async () => {
      await expect(preparePostgres(path.join(clone, '.data', 'cluster'), true)).rejects.toThrow(
        `cannot enter ${closed} (mode 0700)`,
      );
    });

    it('gets its database with the data where PostgreSQL can reach it, as the fix says', async () => {
      chmodSync(open, 0o755);
      const dataDir = path.join(open, 'cluster');
      const { pgData, password } = await preparePostgres(dataDir, true);
      expect(existsSync(path.join(pgData, 'PG_VERSION'))).toBe(true);
      expect(statSync(pgData).uid).toBe(Number(execa.sync('id', ['-u', 'postgres']).stdout));
      expect(password).not.toBe('');
    }, 30_000);
  },
);
