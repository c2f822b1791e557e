import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadPolicy } from '../../config';
import { durationMs } from '../../shared/calendar';
import { DEFAULT_POLICY } from '../../shared/policy';

function policyFile(content: string): string {
  const file = path.join(tmpdir(), `policy-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, content);
  return file;
}

describe('SLA policy', () => {
  it('defaults to the figures of docs/domain.md', () => {
    expect(durationMs(DEFAULT_POLICY.firstResponse)).toBe(15 * 60_000);
    expect(DEFAULT_POLICY.handling).toEqual({ high: 'PT2H', medium: 'PT4H', low: 'PT24H' });
    expect(DEFAULT_POLICY.approval.thresholdFen).toBe(50_000);
    expect(DEFAULT_POLICY.investigation).toEqual({ workingDays: 3, extendedWorkingDays: 5 });
    expect(DEFAULT_POLICY.groupRule).toEqual({ threshold: 5, window: 'PT24H' });
    expect(DEFAULT_POLICY.calendar.timeZone).toBe('Asia/Shanghai');
    // docs/domain.md §11.6: a return rate above 15 % over 30 days flags a merchant.
    expect(DEFAULT_POLICY.supplierTiering.returnRateAbove).toBe(0.15);
    expect(durationMs(DEFAULT_POLICY.supplierTiering.window)).toBe(30 * 24 * 3_600_000);
    // docs/domain.md §6.5: product → product team, logistics → warehouse & logistics, service → service quality, compliance → compliance.
    expect(Object.fromEntries(Object.entries(DEFAULT_POLICY.departments).map(([id, d]) => [id, d.categories]))).toEqual(
      {
        product: ['product'],
        warehouse_logistics: ['logistics'],
        service_quality: ['service'],
        compliance: ['compliance'],
      },
    );
    // docs/domain.md §9.6: a trust notice's coupon is 10 CNY (within the sources' 5–20 CNY), valid 7 days, unless the customer was at fault.
    expect(DEFAULT_POLICY.trustNotice).toEqual({
      couponFen: 1_000,
      validDays: 7,
      forResponsibility: ['platform', 'merchant', 'carrier', 'undetermined'],
    });
  });

  it('lets a file override single figures and keeps the rest', () => {
    const policy = loadPolicy(
      policyFile(JSON.stringify({ firstResponse: 'PT30M', approval: { thresholdFen: 100_000 } })),
    );
    expect(policy.firstResponse).toBe('PT30M');
    expect(policy.approval.thresholdFen).toBe(100_000);
    expect(policy.approval.window).toBe(DEFAULT_POLICY.approval.window);
    expect(policy.handling).toEqual(DEFAULT_POLICY.handling);
  });

  it('refuses a bad file and names the field', () => {
    expect(() => loadPolicy(policyFile(JSON.stringify({ handling: { high: 'two hours' } })))).toThrow(/handling\.high/);
    expect(() => loadPolicy(policyFile('{not json'))).toThrow(ConfigError);
  });

  // A policy that cannot work must never reach a case: each kind is refused at start, naming its field.
  it.each([
    [
      'an unknown time zone',
      { calendar: { timeZone: 'Asia/Shangai' } },
      /calendar\.timeZone: must be an IANA time zone/,
    ],
    [
      'service hours that end before they start',
      { calendar: { serviceHours: { start: '21:00', end: '09:00' } } },
      /calendar\.serviceHours\.end: service hours must end after they start/,
    ],
    [
      'service hours that end as they start',
      { calendar: { serviceHours: { start: '09:00', end: '09:00' } } },
      /calendar\.serviceHours\.end/,
    ],
    [
      'no working weekday',
      { calendar: { workingWeekdays: [] } },
      /calendar\.workingWeekdays: needs at least one working weekday/,
    ],
    ['an unknown key at the top', { firstRespons: 'PT15M' }, /\(root\): .*firstRespons/],
    ['an unknown key inside', { calendar: { holiday: ['2026-10-01'] } }, /calendar: .*holiday/],
    [
      'a date that is no date',
      { calendar: { holidays: ['2026-02-30'] } },
      /calendar\.holidays\.0: must be a real calendar date/,
    ],
    [
      'a holiday listed twice',
      { calendar: { holidays: ['2026-10-01', '2026-10-01'] } },
      /calendar\.holidays\.1: 2026-10-01 is listed twice/,
    ],
    [
      'a day both holiday and make-up workday',
      { calendar: { holidays: ['2026-10-01'], makeUpWorkdays: ['2026-10-01'] } },
      /calendar\.makeUpWorkdays\.0: 2026-10-01 is both a holiday and a make-up workday/,
    ],
    [
      'a holiday of a year the calendar does not claim',
      { calendar: { holidays: ['2027-10-01'] } },
      /calendar\.holidays\.0: 2027-10-01 is in 2027, which coveredYears does not list/,
    ],
    [
      'an extension shorter than the investigation',
      { investigation: { workingDays: 5, extendedWorkingDays: 3 } },
      /investigation\.extendedWorkingDays/,
    ],
    [
      'a return-rate threshold of 15 written as a percentage',
      { supplierTiering: { returnRateAbove: 15 } },
      /supplierTiering\.returnRateAbove/,
    ],
    [
      'a supplier window longer than a year',
      { supplierTiering: { window: 'P400D' } },
      /supplierTiering\.window: must be at most a year/,
    ],
    [
      'a category routed to two departments',
      {
        departments: {
          product: { categories: ['product'], notify: ['product-team'] },
          quality: { categories: ['service', 'product'], notify: ['qa'] },
        },
      },
      /departments\.quality\.categories\.1: product is already routed to product/,
    ],
    [
      'a department nobody hears from',
      { departments: { product: { categories: ['product'], notify: [] } } },
      /departments\.product\.notify: name at least one person or role/,
    ],
    [
      'a department of no category',
      { departments: { product: { categories: [], notify: ['product-team'] } } },
      /departments\.product\.categories: a department takes at least one category/,
    ],
    [
      'a category the domain does not know',
      { departments: { product: { categories: ['products'], notify: ['product-team'] } } },
      /departments\.product\.categories\.0/,
    ],
    [
      'a department id that is no identifier',
      { departments: { 'product team': { categories: ['product'], notify: ['product-team'] } } },
      /departments\.product team: a department id must be/,
    ],
    // docs/domain.md §9.6: no one approves a trust notice's coupon, so it is never above what an agent grants alone (500 CNY).
    [
      'a trust-notice coupon above the approval threshold',
      { trustNotice: { couponFen: 50_001 } },
      /trustNotice\.couponFen: must be at most approval\.thresholdFen \(50000\)/,
    ],
    ['a trust-notice coupon valid no day', { trustNotice: { validDays: 0 } }, /trustNotice\.validDays/],
    [
      'a trust-notice coupon for an unknown responsibility',
      { trustNotice: { forResponsibility: ['weather'] } },
      /trustNotice\.forResponsibility\.0/,
    ],
  ])('refuses %s, naming the field', (_what, policy, message) => {
    expect(() => loadPolicy(policyFile(JSON.stringify(policy)))).toThrow(message);
  });

  it("takes next year's official schedule when the year is claimed, its New Year bridge reaching into December", () => {
    const policy = loadPolicy(
      policyFile(
        JSON.stringify({
          calendar: {
            coveredYears: [2026, 2027],
            holidays: ['2026-12-31', '2027-01-01'],
            makeUpWorkdays: ['2027-02-20'],
          },
        }),
      ),
    );
    expect(policy.calendar.holidays).toEqual(['2026-12-31', '2027-01-01']);
  });
});
