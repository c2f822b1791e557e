import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HISTORIES_DIR } from '../../dev/stack/harness';

/**
 * Each generation keeps only the histories whose shape it added (scripts/compact-histories.ts,
 * docs/versioning.md), so the patch markers its recorded cases carried must still be carried by
 * some kept history of that generation or an earlier one: otherwise a path running cases take
 * would no longer be replayed. `markers.json` in each generation is the record, written from the
 * histories as recorded, before any was removed.
 *
 * The markers are read here straight from the events (a core_patch marker's payload names the
 * patch), not through the compaction tool, so a fault in the tool cannot hide itself.
 */

interface Recorded {
  recorded: number;
  markerSets: string[][];
}

const generations = readdirSync(HISTORIES_DIR)
  .filter((g) => /^\d+-/.test(g))
  .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));

function patchMarkers(file: string): string[] {
  const raw = readFileSync(file);
  const { events } = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as {
    events: Array<{
      eventType: string;
      markerRecordedEventAttributes?: {
        markerName?: string;
        details?: Record<string, { payloads?: Array<{ data?: string }> }>;
      };
    }>;
  };
  const found = new Set<string>();
  for (const e of events) {
    const a = e.markerRecordedEventAttributes;
    if (e.eventType !== 'EVENT_TYPE_MARKER_RECORDED' || !a) continue;
    const data = a.details?.['patch-data']?.payloads?.[0]?.data;
    if (!data) {
      found.add(`marker:${a.markerName}`);
      continue;
    }
    const patch = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string; deprecated?: boolean };
    found.add(patch.deprecated ? `${patch.id} (deprecated)` : patch.id);
  }
  return [...found].sort();
}

const keptSets = new Map<string, string[]>(); // generation → the marker sets of its kept histories, as "a,b,c"
for (const g of generations) {
  const dir = path.join(HISTORIES_DIR, g);
  const files = readdirSync(dir).filter((f) => (f.endsWith('.json') || f.endsWith('.json.gz')) && f !== 'markers.json');
  keptSets.set(g, [...new Set(files.map((f) => patchMarkers(path.join(dir, f)).join(',')))]);
}

it('every generation has its record of the markers it carried', () => {
  expect(generations.length).toBeGreaterThanOrEqual(8);
  for (const g of generations)
    expect({ g, recorded: existsSync(path.join(HISTORIES_DIR, g, 'markers.json')) }).toEqual({ g, recorded: true });
});

describe.each(generations)('generation %s', (g) => {
  const record = (): Recorded =>
    JSON.parse(readFileSync(path.join(HISTORIES_DIR, g, 'markers.json'), 'utf8')) as Recorded;
  const upToHere = () => generations.slice(0, generations.indexOf(g) + 1).flatMap((h) => keptSets.get(h) ?? []);

  it('keeps at least one history of its own (it was recorded because it added something)', () => {
    expect((keptSets.get(g) ?? []).length).toBeGreaterThan(0);
  });

  it('every set of patch markers its recorded cases carried is carried by a kept history of it or an earlier generation', () => {
    const kept = new Set(upToHere());
    const missing = record().markerSets.filter((set) => !kept.has([...set].sort().join(',')));
    expect(missing).toEqual([]);
  });

  it('every patch id it carried is still replayed', () => {
    const ids = new Set(record().markerSets.flat());
    const replayed = new Set(upToHere().flatMap((s) => (s ? s.split(',') : [])));
    expect([...ids].filter((id) => !replayed.has(id))).toEqual([]);
  });
});
