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
  it('defaults to the spec figures', () => {
    expect(durationMs(DEFAULT_POLICY.firstResponse)).toBe(15 * 60_000);
    expect(DEFAULT_POLICY.handling).toEqual({ high: 'PT2H', medium: 'PT4H', low: 'PT24H' });
    expect(DEFAULT_POLICY.approval.thresholdFen).toBe(50_000);
    expect(DEFAULT_POLICY.investigation).toEqual({ workingDays: 3, extendedWorkingDays: 5 });
    expect(DEFAULT_POLICY.groupRule).toEqual({ threshold: 5, window: 'PT24H' });
    expect(DEFAULT_POLICY.calendar.timeZone).toBe('Asia/Shanghai');
  });

  it('lets a file override single figures and keeps the rest', () => {
    const policy = loadPolicy(policyFile(JSON.stringify({ firstResponse: 'PT30M', approval: { thresholdFen: 100_000 } })));
    expect(policy.firstResponse).toBe('PT30M');
    expect(policy.approval.thresholdFen).toBe(100_000);
    expect(policy.approval.window).toBe(DEFAULT_POLICY.approval.window);
    expect(policy.handling).toEqual(DEFAULT_POLICY.handling);
  });

  it('refuses a bad file and names the field', () => {
    expect(() => loadPolicy(policyFile(JSON.stringify({ handling: { high: 'two hours' } })))).toThrow(/handling\.high/);
    expect(() => loadPolicy(policyFile('{not json'))).toThrow(ConfigError);
  });
});
