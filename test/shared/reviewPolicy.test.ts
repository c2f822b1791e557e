import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPolicy } from '../../config';
import { DEFAULT_POLICY } from '../../shared/policy';

/** The report and review figures of the policy (docs/policy.md, docs/domain.md §11.4–§11.5). */

function policyFile(content: object): string {
  const file = path.join(tmpdir(), `policy-review-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('report and review figures of the policy', () => {
  it('defaults to satisfied at 4 and 5 cases in 90 days, 60 % alike across 2 merchants', () => {
    expect(DEFAULT_POLICY.satisfiedAtOrAbove).toBe(4);
    expect(DEFAULT_POLICY.professionalComplainants).toEqual({
      minCases: 5,
      minMerchants: 2,
      minSimilarity: 0.6,
      window: 'P90D',
    });
  });

  it('takes a figure from the file and keeps the others', () => {
    const policy = loadPolicy(policyFile({ professionalComplainants: { minCases: 8 } }));
    expect(policy.professionalComplainants).toEqual({
      minCases: 8,
      minMerchants: 2,
      minSimilarity: 0.6,
      window: 'P90D',
    });
  });

  // Each refusal names the field and why: an old policy without the field would refuse it as an unknown key instead.
  it.each([
    [{ satisfiedAtOrAbove: 6 }, /satisfiedAtOrAbove: Too big/],
    [{ professionalComplainants: { minCases: 1 } }, /professionalComplainants\.minCases: Too small/],
    [{ professionalComplainants: { minMerchants: 1 } }, /professionalComplainants\.minMerchants: Too small/],
    [{ professionalComplainants: { minSimilarity: 0 } }, /professionalComplainants\.minSimilarity: Too small/],
    [{ professionalComplainants: { minSimilarity: 1.5 } }, /professionalComplainants\.minSimilarity: Too big/],
    [
      { professionalComplainants: { window: 'ninety days' } },
      /professionalComplainants\.window: must be a positive ISO-8601 duration/,
    ],
    [{ professionalComplainants: { minCase: 5 } }, /professionalComplainants: Unrecognized key: "minCase"/],
  ])('refuses %j, naming the field', (content, field) => {
    expect(() => loadPolicy(policyFile(content))).toThrow(field);
  });
});
