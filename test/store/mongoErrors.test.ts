import { isDuplicateKey, onlyDuplicates } from '../../store/mongoErrors';

/** A duplicate write means "already there" (store/mongoErrors.ts); anything else is a failure. */

const dup = { code: 11000 };
const other = { code: 121 };

describe('isDuplicateKey', () => {
  it('recognises code 11000 and nothing else', () => {
    expect([dup, other, null, undefined, 'E11000', { code: '11000' }].map(isDuplicateKey)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('onlyDuplicates', () => {
  it('holds for a bulk insert whose every failure is a duplicate, in either report shape', () => {
    expect(
      onlyDuplicates({
        writeErrors: [
          { index: 0, err: dup },
          { index: 3, err: dup },
        ],
      }),
    ).toBe(true);
    expect(onlyDuplicates({ writeErrors: [dup, dup] })).toBe(true);
    expect(onlyDuplicates({ writeErrors: dup })).toBe(true);
  });

  it('fails when any failure is not a duplicate, or when none is listed', () => {
    expect(
      onlyDuplicates({
        writeErrors: [
          { index: 0, err: dup },
          { index: 1, err: other },
        ],
      }),
    ).toBe(false);
    expect(onlyDuplicates({ writeErrors: [] })).toBe(false);
  });

  it('falls back to the error itself when it is not a bulk failure', () => {
    expect(onlyDuplicates(dup)).toBe(true);
    expect(onlyDuplicates(other)).toBe(false);
    expect(onlyDuplicates(null)).toBe(false);
  });
});
