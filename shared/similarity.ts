/**
 * How alike two complaint texts are (docs/domain.md §11.5): the Jaccard index of their character
 * bigrams, |A ∩ B| / |A ∪ B|, 0 (nothing shared) to 1 (the same pairs). Bigrams of characters
 * need no word segmentation, so Chinese and English texts are measured alike. Letters are
 * lower-cased and everything but letters and digits is dropped first, so punctuation, spacing and
 * full-width forms do not make a copied text look different. A text of one character is its own
 * single "bigram"; an empty one is alike to nothing.
 */
export function textSimilarity(a: string, b: string): number {
  return bigramSimilarity(bigrams(a), bigrams(b));
}

/** The Jaccard index of two texts' bigrams: for comparing many pairs, each text's bigrams made once. */
export function bigramSimilarity(x: ReadonlySet<string>, y: ReadonlySet<string>): number {
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}

export function bigrams(text: string): Set<string> {
  const chars = [
    ...text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, ''),
  ];
  if (chars.length === 1) return new Set(chars);
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return grams;
}
