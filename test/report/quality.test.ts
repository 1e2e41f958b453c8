import { describe, expect, it } from 'vitest';
import { pairwiseQuality, setQuality } from '../../src/index.js';

describe('quality measures', () => {
  it('pairwise precision and recall from a hand-counted example', () => {
    // truth: {a,b,c} {d,e}; predicted: {a,b} {c,d,e}
    // predicted pairs: ab, cd, ce, de = 4; right: ab, de = 2 → precision 0.5
    // true pairs: ab, ac, bc, de = 4; found: ab, de = 2 → recall 0.5
    const truth = new Map([['a', 1], ['b', 1], ['c', 1], ['d', 2], ['e', 2]]);
    const predicted = new Map([['a', 'x'], ['b', 'x'], ['c', 'y'], ['d', 'y'], ['e', 'y'], ['z', 'y']]);
    expect(pairwiseQuality(predicted, truth)).toEqual({ precision: 0.5, recall: 0.5, truePositives: 2, predicted: 4, actual: 4 });
  });
  it('is NaN where nothing was predicted', () => {
    expect(pairwiseQuality(new Map([['a', 1], ['b', 2]]), new Map([['a', 1], ['b', 1]])).precision).toBeNaN();
  });
  it('set precision and recall', () => {
    expect(setQuality(['a', 'b', 'c', 'c'], ['b', 'c', 'd', 'e'])).toMatchObject({ precision: 2 / 3, recall: 0.5 });
  });
});
