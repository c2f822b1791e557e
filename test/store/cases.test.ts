import { readCase, listCases, writeCase, decodeCursor, encodeCursor, type CaseFilter } from '../../store/cases';
import type { Store } from '../../store/connection';
import { caseView } from '../../dev/builders';
import { dropStore, freshStore } from './fixtures';

let store: Store;
beforeAll(async () => {
  store = await freshStore('store-cases');
});
afterAll(async () => {
  await dropStore(store);
});

describe('versioned projection write', () => {
  it('keeps the newest version whatever order the writes land in', async () => {
    const v1 = caseView({ status: 'acknowledged' });
    const v2 = { ...v1, status: 'in_progress' as const, owner: 'agent-7' };
    const v3 = { ...v1, status: 'awaiting_approval' as const, owner: 'agent-7' };

    expect(await writeCase(store.cases, v2, 2)).toBe('written');
    expect(await writeCase(store.cases, v1, 1)).toBe('stale');
    expect(await writeCase(store.cases, v2, 2)).toBe('stale');
    expect((await readCase(store.cases, v1.complaintId))?.status).toBe('in_progress');

    expect(await writeCase(store.cases, v3, 3)).toBe('written');
    expect(await writeCase(store.cases, v2, 2)).toBe('stale');
    const doc = await store.cases.findById(v1.complaintId).lean();
    expect(doc).toMatchObject({
      version: 3,
      status: 'awaiting_approval',
      merchantId: 'm-1',
      customerId: 'c-1',
      breached: false,
    });
    expect(doc?.view).toEqual(v3);
  });

  it('ends at the highest version when writes race', async () => {
    const base = caseView();
    const versions = [7, 3, 9, 1, 5, 8, 2, 6, 4];
    await Promise.all(versions.map((v) => writeCase(store.cases, { ...base, stage: `v${v}` }, v)));
    expect(await store.cases.findById(base.complaintId).lean()).toMatchObject({ version: 9, view: { stage: 'v9' } });
  });

  it('answers null for a case it never saw', async () => {
    expect(await readCase(store.cases, 'cmp-never')).toBeNull();
  });
});

describe('list filters and cursor pagination', () => {
  const merchant = `m-list-${Date.now()}`;
  const statuses = ['acknowledged', 'in_progress', 'closed'] as const;
  // 23 cases, several opened at the same instant, so ties on createdAt must be broken by id.
  const views = Array.from({ length: 23 }, (_, i) =>
    caseView({
      complaintId: `cmp-list-${String(i).padStart(2, '0')}`,
      createdAt: new Date(Date.UTC(2026, 10, 1 + Math.floor(i / 3), 2)).toISOString(),
      status: statuses[i % 3],
      priority: i % 2 ? 'high' : 'low',
      escalationLevel: i % 5 === 0 ? 1 : 0,
      breaches:
        i % 4 === 0
          ? [
              {
                kind: 'first_response',
                dueAt: '2026-11-01T02:15:00.000Z',
                at: '2026-11-01T02:15:00.000Z',
                escalatedTo: 'supervisor',
              },
            ]
          : [],
      order: {
        orderId: `o-${i}`,
        merchantId: merchant,
        sku: 'sku-9',
        amountPaidFen: 100,
        paidAt: '2026-10-01T00:00:00Z',
      },
    }),
  );

  beforeAll(async () => {
    await Promise.all(views.map((v) => writeCase(store.cases, v, 1)));
  });

  async function everyPage(filter: CaseFilter, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let after = undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await listCases(store.cases, filter, { limit, after });
      ids.push(...page.items.map((v) => v.complaintId));
      if (!page.nextCursor) return ids;
      after = decodeCursor(page.nextCursor) ?? undefined;
    }
    throw new Error('pagination did not end');
  }

  const newestFirst = (list: typeof views) =>
    [...list]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.complaintId.localeCompare(a.complaintId))
      .map((v) => v.complaintId);

  it.each([1, 4, 7, 23, 100])('returns every case exactly once, newest first, %i a page', async (limit) => {
    expect(await everyPage({ merchantId: merchant }, limit)).toEqual(newestFirst(views));
  });

  it('applies each filter, alone and together', async () => {
    expect(await everyPage({ merchantId: merchant, status: 'closed' }, 2)).toEqual(
      newestFirst(views.filter((v) => v.status === 'closed')),
    );
    expect(await everyPage({ merchantId: merchant, priority: 'high', escalationLevel: 1 }, 2)).toEqual(
      newestFirst(views.filter((v) => v.priority === 'high' && v.escalationLevel === 1)),
    );
    expect(await everyPage({ merchantId: merchant, breached: true }, 3)).toEqual(
      newestFirst(views.filter((v) => v.breaches.length > 0)),
    );
    expect(await everyPage({ merchantId: merchant, breached: false, status: 'in_progress' }, 3)).toEqual(
      newestFirst(views.filter((v) => v.breaches.length === 0 && v.status === 'in_progress')),
    );
    const from = new Date('2026-11-03T00:00:00Z');
    const to = new Date('2026-11-05T02:00:00Z');
    expect(await everyPage({ merchantId: merchant, from, to }, 2)).toEqual(
      newestFirst(
        views.filter((v) => Date.parse(v.createdAt) >= from.getTime() && Date.parse(v.createdAt) < to.getTime()),
      ),
    );
    expect(await everyPage({ merchantId: 'm-nobody' }, 5)).toEqual([]);
  });

  it('round-trips its cursor and rejects anything else', () => {
    const cursor = { createdAt: new Date('2026-11-01T02:00:00Z'), complaintId: 'cmp-list-01' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(decodeCursor(Buffer.from('["yesterday","x"]').toString('base64url'))).toBeNull();
  });
});
