/**
 * Compacts the replay corpus (test/histories/<generation>/): a generation keeps only the histories
 * whose command shape no earlier generation (nor an earlier file of its own) has, gzipped.
 *
 *   node --import tsx scripts/compact-histories.ts            # compact, then print what it kept
 *   node --import tsx scripts/compact-histories.ts --dry-run  # print what it would keep, change nothing
 *   node --import tsx scripts/compact-histories.ts --dir <folder>  # another corpus (a copy, to try it)
 *
 * Run it after `npm run record-histories` has written a new generation; it is idempotent (a compacted
 * generation holds distinct shapes only, so a second run removes nothing). Before it removes a file
 * it records, per generation, the patch markers the recorded histories carried (markers.json), which
 * test/replay/markers.test.ts holds the kept histories to. docs/versioning.md says why.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { apply, HISTORIES_DIR, plan } from '../dev/histories';

function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((sum, f) => {
    const s = statSync(path.join(dir, f));
    return s.isFile() ? sum + s.size : sum;
  }, 0);
}

function main(): void {
  const dryRun = process.argv.includes('--dry-run');
  const at = process.argv.indexOf('--dir');
  const dir = at > 0 ? path.resolve(process.argv[at + 1]) : HISTORIES_DIR;
  const before = folderBytes(dir);
  const plans = plan(dir);
  for (const p of plans) {
    if (!dryRun) apply(dir, p);
    console.log(
      `${p.generation}: ${p.keep.length} kept of ${p.keep.length + p.drop.length} here (${p.recorded} recorded), ${p.markerSets.length} marker sets`,
    );
  }
  const after = dryRun ? undefined : folderBytes(dir);
  console.log(
    `corpus: ${(before / 1e6).toFixed(1)} MB${after === undefined ? ' (dry run: nothing changed)' : ` -> ${(after / 1e6).toFixed(1)} MB`}`,
  );
}

main();
