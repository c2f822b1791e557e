import { textSimilarity } from '../../shared/similarity';

// docs/domain.md §11.5: the Jaccard index of character bigrams, |A ∩ B| / |A ∪ B|, counted here by hand.
describe('text similarity (character-bigram Jaccard)', () => {
  it('counts shared bigrams over all bigrams', () => {
    // {ab, bc} and {ab, bd}: 1 shared of 3.
    expect(textSimilarity('abc', 'ABD')).toBeCloseTo(1 / 3);
    // {假货, 货假} and {假货}: 1 of 2.
    expect(textSimilarity('假货假货', '假货')).toBe(0.5);
  });

  it('measures Chinese without word segmentation: one changed character of a template', () => {
    // 15 bigrams each, 14 shared (only 商品 / 食品 differ): 14 / 16.
    expect(textSimilarity('商品标签没有生产日期，要求十倍赔偿', '食品标签没有生产日期，要求十倍赔偿')).toBe(14 / 16);
  });

  it('ignores punctuation, spacing, case and full-width forms', () => {
    expect(textSimilarity('退款！', '退 款')).toBe(1);
    expect(textSimilarity('ＡＢＣ', 'abc.')).toBe(1);
  });

  it('is 0 for texts with nothing in common or nothing at all', () => {
    expect(textSimilarity('快递丢件', 'kettle leaks')).toBe(0);
    expect(textSimilarity('', '')).toBe(0);
    expect(textSimilarity('!!', '退款')).toBe(0);
  });
});
