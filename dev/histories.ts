/**
 * The replay corpus (test/histories/<generation>/) and its compaction: a generation keeps only the
 * histories whose command shape no earlier generation (nor an earlier file of its own) has,
 * gzipped; `node --import tsx scripts/compact-histories.ts` applies it.
 *
 * A history's shape is its suite family (the first word of its file name) and the set of kinds it
 * holds: activity types scheduled, patch markers (id, deprecated or not), updates accepted, signals
 * received or sent, child workflows started, continue-as-new and how the run closed. Runs that
 * differ only in timing (which activation an activity result and an update met in) share a shape.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

export const HISTORIES_DIR = path.resolve(__dirname, '../test/histories');
const GENERATION = /^\d+-/;
export const MARKERS_FILE = 'markers.json';

type Attributes = Record<string, unknown> & {
  activityType?: { name?: string };
  workflowType?: { name?: string };
  signalName?: string;
  markerName?: string;
  details?: Record<string, { payloads?: Array<{ data?: string }> }>;
  acceptedRequest?: { input?: { name?: string } };
};
type HistoryEvent = Record<string, unknown> & { eventType: string };

export function readHistory(file: string): { events: HistoryEvent[] } {
  const raw = readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as { events: HistoryEvent[] };
}

function attributesOf(event: HistoryEvent): Attributes {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes'));
  return (key ? event[key] : {}) as Attributes;
}

/** The patch a core_patch marker records, as `<id>` or `<id> (deprecated)`. */
export function patchOf(event: HistoryEvent): string | undefined {
  if (event.eventType !== 'EVENT_TYPE_MARKER_RECORDED') return undefined;
  const a = attributesOf(event);
  const data = a.details?.['patch-data']?.payloads?.[0]?.data;
  if (!data) return a.markerName ? `marker:${a.markerName}` : undefined;
  const { id, deprecated } = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as {
    id: string;
    deprecated?: boolean;
  };
  return deprecated ? `${id} (deprecated)` : id;
}

/** The sorted set of patch markers of one history. */
export function markersOf(history: { events: HistoryEvent[] }): string[] {
  return [...new Set(history.events.map(patchOf).filter((p): p is string => !!p))].sort();
}

const CLOSES = ['COMPLETED', 'FAILED', 'CONTINUED_AS_NEW', 'TERMINATED', 'CANCELED', 'TIMED_OUT'].map(
  (s) => `EVENT_TYPE_WORKFLOW_EXECUTION_${s}`,
);

function kindOf(event: HistoryEvent): string | undefined {
  const t = event.eventType;
  const a = attributesOf(event);
  switch (t) {
    case 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED':
      return `start:${a.workflowType?.name}`;
    case 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED':
      return `activity:${a.activityType?.name}`;
    case 'EVENT_TYPE_MARKER_RECORDED':
      return `marker:${patchOf(event)}`;
    case 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED':
      return `update:${a.acceptedRequest?.input?.name}`;
    case 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED':
      return `signal:${a.signalName}`;
    case 'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED':
      return `signal-out:${a.signalName}`;
    case 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED':
      return `child:${a.workflowType?.name}`;
    case 'EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED':
    case 'EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED':
      return t;
    default:
      return CLOSES.includes(t) ? `close:${t}` : undefined;
  }
}

export function shapeOf(file: string, history: { events: HistoryEvent[] }): string {
  const family = path.basename(file).split('-')[0];
  const kinds = [...new Set(history.events.map(kindOf).filter((k): k is string => !!k))].sort();
  return [family, ...kinds].join('\n');
}

const isHistory = (f: string) => f.endsWith('.json') || f.endsWith('.json.gz');

export function generations(dir = HISTORIES_DIR): string[] {
  return readdirSync(dir)
    .filter((g) => GENERATION.test(g) && statSync(path.join(dir, g)).isDirectory())
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
}

export function historyFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => isHistory(f) && f !== MARKERS_FILE)
    .sort();
}

interface Plan {
  generation: string;
  recorded: number;
  keep: Array<{ file: string; shape: string; events: number }>;
  drop: string[];
  markerSets: string[][];
}

/**
 * Within a generation, the history with the most events stands for its shape (it crosses the most
 * workflow tasks); a shape an earlier generation has is left to that generation.
 */
export function plan(dir = HISTORIES_DIR): Plan[] {
  const seen = new Set<string>();
  return generations(dir).map((generation) => {
    const gdir = path.join(dir, generation);
    const files = historyFiles(gdir);
    const best = new Map<string, { file: string; events: number }>();
    const markerSets = new Map<string, string[]>();
    const previous = existsSync(path.join(gdir, MARKERS_FILE))
      ? (JSON.parse(readFileSync(path.join(gdir, MARKERS_FILE), 'utf8')) as {
          recorded: number;
          markerSets: string[][];
        })
      : undefined;
    for (const set of previous?.markerSets ?? []) markerSets.set(set.join('\n'), set);
    for (const file of files) {
      const history = readHistory(path.join(gdir, file));
      const markers = markersOf(history);
      markerSets.set(markers.join('\n'), markers);
      const shape = shapeOf(file, history);
      if (seen.has(shape)) continue;
      const current = best.get(shape);
      if (!current || history.events.length > current.events) best.set(shape, { file, events: history.events.length });
    }
    for (const shape of best.keys()) seen.add(shape);
    const keep = [...best]
      .map(([shape, { file, events }]) => ({ file, shape, events }))
      .sort((a, b) => a.file.localeCompare(b.file));
    const kept = new Set(keep.map((k) => k.file));
    return {
      generation,
      recorded: Math.max(previous?.recorded ?? 0, files.length),
      keep,
      drop: files.filter((f) => !kept.has(f)),
      markerSets: [...markerSets.values()].sort((a, b) => a.join().localeCompare(b.join())),
    };
  });
}

/**
 * Stack traces in failures name the folder the recording ran in (a machine's path). Replay never
 * reads them; the corpus keeps them repository-relative so it names no machine.
 */
const MACHINE_ROOT =
  /(?<=[(\s]|^)\/(?:[\w.@+-]+\/)*?(?=(?:activities|api|clients|config|dev|lib|node_modules|sandbox|scripts|shared|store|test|workers|workflows)\/)/g;

export function scrubMachinePaths(json: string): string {
  return json.replace(
    /("stackTrace":\s*")((?:[^"\\]|\\.)*)"/g,
    (_all, key: string, trace: string) =>
      `${key}${trace.replace(/\\n/g, '\n').replace(MACHINE_ROOT, '<repo>/').replace(/\n/g, '\\n')}"`,
  );
}

export function apply(dir: string, p: Plan): void {
  const gdir = path.join(dir, p.generation);
  // The record of what the generation carried is written before anything is removed.
  writeFileSync(
    path.join(gdir, MARKERS_FILE),
    `${JSON.stringify({ recorded: p.recorded, note: 'patch-marker sets the recorded histories carried; test/replay/markers.test.ts holds the kept ones to it', markerSets: p.markerSets }, null, 1)}\n`,
  );
  for (const { file } of p.keep) {
    const from = path.join(gdir, file);
    const raw = readFileSync(from);
    const json = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const scrubbed = scrubMachinePaths(json);
    if (file.endsWith('.gz') && scrubbed === json) continue;
    writeFileSync(file.endsWith('.gz') ? from : `${from}.gz`, gzipSync(scrubbed, { level: 9 }));
    if (!file.endsWith('.gz')) rmSync(from);
  }
  for (const file of p.drop) rmSync(path.join(gdir, file));
}
