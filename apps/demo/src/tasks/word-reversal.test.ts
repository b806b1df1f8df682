import { createRng } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../corpus/node';
import { createWordReversal, REVERSAL_NOUNS } from './word-reversal';

const tokenizer = loadTokenizer();
const separator = tokenizer.specialTokenIds['[SEP]'];

describe('createWordReversal', () => {
  it('uses nouns that are one token each, so reversing tokens reverses words', () => {
    const reversal = createWordReversal(tokenizer);
    expect(reversal.vocabulary).toHaveLength(REVERSAL_NOUNS.length);
    expect(Array.from(reversal.vocabulary, (id) => tokenizer.decode([id]).trim())).toEqual(
      REVERSAL_NOUNS,
    );
  });

  it('makes prompts of distinct nouns and [SEP], completed by the same nouns backwards', () => {
    const reversal = createWordReversal(tokenizer, { words: 3 });
    const random = createRng(2);
    for (const pair of [
      ...reversal.heldOut,
      reversal.training(random),
      reversal.training(random),
    ]) {
      const prompt = Array.from(pair.prompt);
      expect(prompt).toHaveLength(4);
      expect(prompt[3]).toBe(separator);
      const nouns = prompt.slice(0, 3);
      expect(new Set(nouns).size).toBe(3);
      expect(Array.from(pair.completion)).toEqual([...nouns].reverse());
    }
    const [first] = reversal.heldOut;
    expect(tokenizer.decode(first!.completion).split(' ').reverse().join(' ')).toBe(
      tokenizer.decode(Int32Array.from(first!.prompt).subarray(0, 3)),
    );
  });

  it('holds out 10 fixed prompts that training never draws (20,000 training draws checked)', () => {
    const reversal = createWordReversal(tokenizer, { seed: 5 });
    expect(reversal.heldOut).toHaveLength(10);
    expect(createWordReversal(tokenizer, { seed: 5 }).heldOut).toEqual(reversal.heldOut);
    const heldOut = new Set(reversal.heldOut.map((pair) => pair.prompt.join(' ')));
    expect(heldOut.size).toBe(10);
    const random = createRng(9);
    const drawn = Array.from({ length: 20_000 }, () => reversal.training(random).prompt.join(' '));
    expect(drawn.filter((prompt) => heldOut.has(prompt))).toEqual([]);
    // The draws cover the combinations (~46·45·44 = 91,080): far more than could be memorised.
    expect(new Set(drawn).size).toBeGreaterThan(15_000);
  });
});
