import type { CaseViewV1 } from '../../shared/caseView';
import { applyViewChanges, viewChanges, viewFields } from '../../shared/viewChanges';
import { caseView } from '../../dev/builders';

/** A write after the first sends the fields that changed; applied to the view before, they give the view after. */
describe('a projection write of changed fields', () => {
  const before = caseView({ complaintId: 'cmp-v', owner: null });
  const changesTo = (after: CaseViewV1) => viewChanges(viewFields(before), viewFields(after), after);

  it('sends only the fields that changed, whole, and nothing when nothing did', () => {
    const deadline = {
      kind: 'handling' as const,
      dueAt: '2026-11-24T10:00:00.000Z',
      since: '2026-11-23T10:00:00.000Z',
      paused: false,
      rung: 0,
      topRungAlerts: 0,
    };
    const after = {
      ...before,
      owner: 'agent-7',
      deadlines: [...before.deadlines, deadline],
      updatedAt: '2026-11-23T10:05:00.000Z',
    };
    const changes = changesTo(after);
    expect(Object.keys(changes.set).sort()).toEqual(['deadlines', 'owner', 'updatedAt']);
    expect(changes.set.deadlines).toEqual(after.deadlines);
    expect(changes.unset).toEqual([]);
    expect(applyViewChanges(before, changes)).toEqual(after);
    expect(changesTo({ ...before })).toEqual({ set: {}, unset: [] });
  });

  it('removes a field the view no longer has', () => {
    const expectedBy = {
      at: '2026-11-25T18:00:00+08:00',
      text: '11月25日 18:00',
      locale: 'zh-CN' as const,
      timeZone: 'Asia/Shanghai',
    };
    const withExpected: CaseViewV1 = { ...before, expectedBy };
    const without: CaseViewV1 = { ...withExpected };
    delete without.expectedBy;
    const changes = viewChanges(viewFields(withExpected), viewFields(without), without);
    expect(changes).toEqual({ set: {}, unset: ['expectedBy'] });
    expect(applyViewChanges(withExpected, changes)).toEqual(without);
    expect('expectedBy' in applyViewChanges(withExpected, changes)).toBe(false);
  });
});
