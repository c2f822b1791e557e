import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { round } from '../dev/bench/measure';
import { table } from '../dev/bench/report';

/**
 * `npm run bench:heap-diff -- <before.heapsnapshot> <after.heapsnapshot> [--top 25]`: what grew
 * between two V8 heap snapshots, by constructor (objects) or by node type (strings, arrays, code…):
 * count and self size in each, largest growth first. Self sizes, not retained: what holds the grown
 * objects is read in DevTools' Retainers view of the after snapshot.
 */

interface Group {
  count: number;
  bytes: number;
}

interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Per constructor: `Foo` for objects and native objects, `(type)` for everything else. */
export function groups(file: string): Map<string, Group> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, Group>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt]];
    const key = type === 'object' || type === 'native' ? snap.strings[snap.nodes[i + nameAt]] : `(${type})`;
    const g = out.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += snap.nodes[i + sizeAt];
    out.set(key, g);
  }
  return out;
}

function main(): void {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  const [before, after] = positionals.map(groups);
  const total = (m: Map<string, Group>) => [...m.values()].reduce((s, g) => s + g.bytes, 0);
  const rows = [...new Set([...before.keys(), ...after.keys()])]
    .map((name) => {
      const a = before.get(name) ?? { count: 0, bytes: 0 };
      const b = after.get(name) ?? { count: 0, bytes: 0 };
      return {
        name,
        count: b.count,
        countGrowth: b.count - a.count,
        kb: b.bytes / 1024,
        kbGrowth: (b.bytes - a.bytes) / 1024,
      };
    })
    .sort((x, y) => y.kbGrowth - x.kbGrowth)
    .slice(0, Number(values.top))
    .map((r) => ({ ...r, name: r.name.slice(0, 60), kb: round(r.kb), kbGrowth: round(r.kbGrowth) }));
  table(`self size by constructor: ${round(total(before) / 2 ** 20)} MB → ${round(total(after) / 2 ** 20)} MB`, rows);
}

if (require.main === module) main();
