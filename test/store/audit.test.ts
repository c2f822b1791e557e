import { createCaseStoreActivities } from '../../activities/caseStore';
import type { SlaEventV1, TimelineEntryV1 } from '../../shared/caseView';
import { appendAudit, readAudit, retainUntil } from '../../store/audit';
import { readCase } from '../../store/cases';
import type { Store } from '../../store/connection';
import { appendSlaEvents } from '../../store/slaEvents';
import { caseView } from '../../dev/builders';
import { dropStore, freshStore } from './fixtures';

let store: Store;
beforeAll(async () => {
  store = await freshStore('store-audit');
});
afterAll(async () => {
  await dropStore(store);
});

const entry = (seq: number, action = `action-${seq}`): TimelineEntryV1 => ({
  seq,
  at: new Date(Date.UTC(2026, 10, 23, 2, seq)).toISOString(),
  actor: { sub: 'agent-7', role: 'agent' },
  action,
  detail: { seq },
  result: 'ok',
});

const slaEvent = (seq: number, event: SlaEventV1['event']): SlaEventV1 => ({
  seq,
  kind: 'first_response',
  event,
  at: new Date(Date.UTC(2026, 10, 23, 2, seq)).toISOString(),
  dueAt: '2026-11-23T02:15:00.000Z',
  escalationLevel: 0,
});

describe('audit log', () => {
  it('stores each entry once however often and in whatever batches it is written', async () => {
    await appendAudit(store.audit, 'cmp-a', [entry(1), entry(2)], 3);
    await appendAudit(store.audit, 'cmp-a', [entry(1), entry(2), entry(3)], 3);
    await appendAudit(store.audit, 'cmp-a', [entry(2), entry(4)], 3);
    await appendAudit(store.audit, 'cmp-a', [], 3);
    await appendAudit(store.audit, 'cmp-b', [entry(1)], 3);
    expect(await readAudit(store.audit, 'cmp-a')).toEqual([entry(1), entry(2), entry(3), entry(4)]);
    expect(await readAudit(store.audit, 'cmp-b')).toHaveLength(1);
  });

  it('keeps every entry at least 3 years, even when the policy says less', async () => {
    const at = new Date('2026-11-23T02:00:00.000Z');
    expect(retainUntil(at, 1).toISOString()).toBe('2029-11-23T02:00:00.000Z');
    expect(retainUntil(at, 5).toISOString()).toBe('2031-11-23T02:00:00.000Z');
    const [stored] = await store.audit.find({ complaintId: 'cmp-b' }).lean();
    expect(stored?.retainUntil.toISOString()).toBe('2029-11-23T02:01:00.000Z');
  });
});

describe('SLA events', () => {
  it('stores each event once', async () => {
    await appendSlaEvents(store.slaEvents, 'cmp-s', [slaEvent(1, 'activated')]);
    await appendSlaEvents(store.slaEvents, 'cmp-s', [slaEvent(1, 'activated'), slaEvent(2, 'met')]);
    await appendSlaEvents(store.slaEvents, 'cmp-s', [slaEvent(2, 'met')]);
    const stored = await store.slaEvents.find({ complaintId: 'cmp-s' }).sort({ seq: 1 }).lean();
    expect(stored.map((e) => [e.seq, e.event])).toEqual([
      [1, 'activated'],
      [2, 'met'],
    ]);
  });
});

describe('recordCase activity', () => {
  it('writes the view, the new timeline and SLA lines, and tolerates a retry or a late older write', async () => {
    const { recordCase } = createCaseStoreActivities({ connection: store.connection });
    const v1 = caseView();
    const v2 = { ...v1, status: 'in_progress' as const, owner: 'agent-7' };
    await recordCase({
      view: v1,
      version: 1,
      timeline: [entry(1, 'complaint_opened')],
      slaEvents: [slaEvent(1, 'activated')],
    });
    await recordCase({ view: v2, version: 2, timeline: [entry(2, 'assigned')], slaEvents: [slaEvent(2, 'met')] });
    // A retry of the second write, then a late replay of the first.
    await recordCase({ view: v2, version: 2, timeline: [entry(2, 'assigned')], slaEvents: [slaEvent(2, 'met')] });
    await recordCase({
      view: v1,
      version: 1,
      timeline: [entry(1, 'complaint_opened')],
      slaEvents: [slaEvent(1, 'activated')],
    });

    expect(await readCase(store.cases, v1.complaintId)).toEqual(v2);
    expect((await readAudit(store.audit, v1.complaintId)).map((e) => e.action)).toEqual([
      'complaint_opened',
      'assigned',
    ]);
    expect(await store.slaEvents.countDocuments({ complaintId: v1.complaintId })).toBe(2);
  });

  it('applies a write of changed fields on the version they follow; a retry changes nothing; a store at another version is refused', async () => {
    const { recordCase } = createCaseStoreActivities({ connection: store.connection });
    const v1 = { ...caseView(), complaintId: 'cmp-changes' };
    await recordCase({ view: v1, version: 1, timeline: [entry(1, 'complaint_opened')], slaEvents: [] });
    const assigned = {
      complaintId: v1.complaintId,
      since: 1,
      changes: { set: { status: 'in_progress' as const, owner: 'agent-7' }, unset: [] },
    };
    await recordCase({ ...assigned, version: 2, timeline: [entry(2, 'assigned')], slaEvents: [] });
    await recordCase({ ...assigned, version: 2, timeline: [entry(2, 'assigned')], slaEvents: [] });

    expect(await readCase(store.cases, v1.complaintId)).toEqual({ ...v1, status: 'in_progress', owner: 'agent-7' });
    // The list columns follow the view.
    expect(await store.cases.countDocuments({ _id: v1.complaintId, status: 'in_progress', version: 2 })).toBe(1);
    expect((await readAudit(store.audit, v1.complaintId)).map((e) => e.action)).toEqual([
      'complaint_opened',
      'assigned',
    ]);

    // Changes that follow version 3 cannot be applied to version 2, nor to a case the store does not hold.
    const skipped = { complaintId: v1.complaintId, since: 3, changes: { set: { stage: 'investigation' }, unset: [] } };
    const lost = { ...skipped, complaintId: 'cmp-never-written', since: 1 };
    for (const write of [skipped, lost]) {
      await expect(recordCase({ ...write, version: 4, timeline: [], slaEvents: [] })).rejects.toMatchObject({
        type: 'ProjectionBehind',
        nonRetryable: true,
      });
    }
    expect(await readCase(store.cases, v1.complaintId)).toEqual({ ...v1, status: 'in_progress', owner: 'agent-7' });
    expect(await readCase(store.cases, 'cmp-never-written')).toBeNull();
  });
});
