import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { round } from '../dev/bench/measure';
import { table } from '../dev/bench/report';

/**
 * `npm run bench:heap-diff -- <before.heapsnapshot> <after.heapsnapshot> [--top 25]`: what grew
 * between two V8 heap snapshots, by constructor (objects) or by node type (strings, arrays, code…):
 * count and self size in each, largest growth first. Self sizes, not retained.
 *
 * `npm run bench:heap-diff -- <snapshot> --retainers CancelledFailure [--chains 3]`: what holds the
 * objects of one constructor: their direct retainers counted, and a few chains followed towards the
 * GC roots (weak edges skipped, a run of the same retainer shown once with its count).
 */

interface Group {
  count: number;
  bytes: number;
}

interface HeapSnapshotFile {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile;

/** Per constructor: `Foo` for objects and native objects, `(type)` for everything else. */
export function groups(snap: HeapSnapshotFile): Map<string, Group> {
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

/** Direct retainers of every object named `name`, counted, and `chains` retainer chains of them. */
export function retainers(
  snap: HeapSnapshotFile,
  name: string,
  chains: number,
): { counts: Map<string, number>; chains: string[][] } {
  const { meta } = snap.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [typeAt, nameAt, edgeCountAt] = ['type', 'name', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f));
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const count = snap.nodes.length / nf;
  // Edges are stored per node in node order; who points at a node is built here, once.
  const retainedBy: Array<Array<{ from: number; edge: number }>> = Array.from({ length: count }, () => []);
  for (let node = 0, edge = 0; node < count; node++)
    for (let k = 0; k < snap.nodes[node * nf + edgeCountAt]; k++, edge += ef)
      if (edgeTypes[snap.edges[edge + edgeTypeAt]] !== 'weak')
        retainedBy[snap.edges[edge + toAt] / nf].push({ from: node, edge });
  const label = (node: number) =>
    `${nodeTypes[snap.nodes[node * nf + typeAt]]} ${snap.strings[snap.nodes[node * nf + nameAt]].slice(0, 60)}`;
  const edgeLabel = (edge: number) => {
    const type = edgeTypes[snap.edges[edge + edgeTypeAt]];
    const key = snap.edges[edge + edgeNameAt];
    return type === 'element' || type === 'hidden' ? `[${key}]` : `.${snap.strings[key]}`;
  };
  const targets = [...Array(count).keys()].filter(
    (n) => nodeTypes[snap.nodes[n * nf + typeAt]] === 'object' && snap.strings[snap.nodes[n * nf + nameAt]] === name,
  );
  const counts = new Map<string, number>();
  for (const t of targets)
    for (const r of retainedBy[t])
      counts.set(
        `${label(r.from)} ${edgeLabel(r.edge)}`,
        (counts.get(`${label(r.from)} ${edgeLabel(r.edge)}`) ?? 0) + 1,
      );
  const step = Math.max(1, Math.floor(targets.length / chains));
  const followed = targets
    .filter((_, i) => i % step === 0)
    .slice(0, chains)
    .map((start) => {
      const chain = [label(start)];
      const seen = new Set([start]);
      for (
        let node = start, r = retainedBy[node].find((x) => !seen.has(x.from));
        r;
        r = retainedBy[node].find((x) => !seen.has(x.from))
      ) {
        chain.push(`<-${edgeLabel(r.edge)}- ${label(r.from)}`);
        seen.add((node = r.from));
      }
      // A long run of one retainer (a promise's reaction list) shown once, with its length.
      return chain.reduce<string[]>((out, link) => {
        const last = out.at(-1)?.replace(/ ×\d+$/, '');
        if (last !== link) return [...out, link];
        const n = Number(/ ×(\d+)$/.exec(out.at(-1)!)?.[1] ?? 1) + 1;
        return [...out.slice(0, -1), `${link} ×${n}`];
      }, []);
    });
  return { counts, chains: followed };
}

function main(): void {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      retainers: { type: 'string' },
      chains: { type: 'string', default: '3' },
    },
  });
  if (values.retainers) {
    const found = retainers(read(positionals[0]), values.retainers, Number(values.chains));
    table(
      `direct retainers of ${values.retainers}`,
      [...found.counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, Number(values.top))
        .map(([retainer, n]) => ({ n, retainer })),
    );
    for (const chain of found.chains) console.log(`\n${chain.join('\n  ')}`);
    return;
  }
  const [before, after] = positionals.map((file) => groups(read(file)));
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
