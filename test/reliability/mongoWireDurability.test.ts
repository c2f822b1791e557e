import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startMongoWire, type Child } from '../../dev/stack/processes';
import type { CaseViewV1 } from '../../shared/caseView';
import { openStore, type Store } from '../../store/connection';
import { appendAudit, readAudit } from '../../store/audit';
import { readCase, writeCase } from '../../store/cases';
import { caseView } from '../../dev/builders';

/**
 * The MongoDB-wire stand-in keeps what it acknowledged (docs/operations.md, "The MongoDB-wire
 * stand-in"): the projection's own writes, each awaited (acknowledged), then the server is killed
 * with SIGKILL at once, with no chance to flush, and started again on the same file. Every
 * acknowledged write must be there, at the version it was acknowledged with.
 */

const CASES = 60;

async function killHard(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  // execa's subprocess settles once the process has exited (reject: false in dev/stack/processes.ts).
  await child.process;
}

describe('MongoDB-wire stand-in: killed -9 right after acknowledged writes', () => {
  let dir: string;
  let mongo: Child | undefined;
  let store: Store | undefined;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mongo-wire-durability-'));
  });

  afterAll(async () => {
    await store?.connection.close().catch(() => undefined);
    if (mongo && mongo.process.exitCode === null) await killHard(mongo);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back every acknowledged projection and audit write after a restart', async () => {
    const file = path.join(dir, 'mongo.mv');
    const port = await freePort();
    mongo = await startMongoWire({ port, file });
    store = await openStore(`mongodb://127.0.0.1:${port}/durability`);

    // What the projection does for a case: its first view, then a newer one as it closes, plus its audit entries.
    const acknowledged = new Map<string, { view: CaseViewV1; version: number }>();
    for (let i = 0; i < CASES; i++) {
      const opened = caseView({ complaintId: `cmp-durable-${i}` });
      expect(await writeCase(store.cases, opened, 1)).toBe('written');
      const closed: CaseViewV1 = { ...opened, status: 'closed' };
      expect(await writeCase(store.cases, closed, 2)).toBe('written');
      await appendAudit(
        store.audit,
        opened.complaintId,
        [
          {
            seq: 1,
            at: '2026-11-23T10:00:00.000Z',
            actor: { sub: 'system', role: 'system' },
            action: 'opened',
            detail: { case: i },
            result: 'ok',
          },
        ],
        7,
      );
      acknowledged.set(opened.complaintId, { view: closed, version: 2 });
    }
    // The last write is acknowledged; nothing else is waited for before the kill.
    await killHard(mongo);
    await store.connection.close(true).catch(() => undefined);

    mongo = await startMongoWire({ port, file });
    store = await openStore(`mongodb://127.0.0.1:${port}/durability`);
    const lost: string[] = [];
    for (const [id, { view, version }] of acknowledged) {
      const doc = await store.cases.findById(id, { version: 1 }).lean();
      const stored = await readCase(store.cases, id);
      const audit = await readAudit(store.audit, id);
      if (doc?.version !== version || stored?.status !== view.status || audit.length !== 1) lost.push(id);
    }
    expect(lost).toEqual([]);
    expect(await store.cases.countDocuments({})).toBe(CASES);
  });
});
