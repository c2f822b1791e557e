import type { CaseViewV1 } from '../../shared/caseView';
import { writeCase } from '../../store/cases';
import type { Store } from '../../store/connection';
import { summaryReport } from '../../store/reports';
import { caseView } from '../../dev/builders';
import { dropStore, freshStore } from './fixtures';

/** docs/domain.md §6.5, §11.1: the reports attribute cases by the department they were routed to. */

let store: Store;
beforeAll(async () => {
  store = await freshStore('store-department-reports');
});
afterAll(async () => {
  await dropStore(store);
});

const opened = (n: number, overrides: Partial<CaseViewV1>): CaseViewV1 =>
  caseView({
    complaintId: `cmp-d${n}`,
    workflowId: `cmp-d${n}`,
    createdAt: `2026-11-2${n}T02:00:00.000Z`,
    ...overrides,
  });

it("gives each department's share of the period's cases; a case routed nowhere counts under null", async () => {
  const views = [
    opened(1, { department: 'product' }),
    opened(2, { department: 'product' }),
    opened(3, { category: 'logistics', subType: 'lost', department: 'warehouse_logistics' }),
    opened(4, { category: 'after_sales', subType: 'refund_blocked', department: null }),
  ];
  await Promise.all(views.map((v) => writeCase(store.cases, v, 1)));
  const report = await summaryReport(store, {
    from: new Date('2026-11-01T00:00:00+08:00'),
    to: new Date('2026-12-01T00:00:00+08:00'),
    timeZone: 'Asia/Shanghai',
  });
  // 4 cases: 2 of 4 to product, 1 of 4 to warehouse & logistics, 1 of 4 to customer service alone.
  expect(report.byDepartment).toHaveLength(3);
  expect(report.byDepartment).toEqual(
    expect.arrayContaining([
      { key: 'product', count: 2, share: 2 / 4 },
      { key: 'warehouse_logistics', count: 1, share: 1 / 4 },
      { key: null, count: 1, share: 1 / 4 },
    ]),
  );
});
