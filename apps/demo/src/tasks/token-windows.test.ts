import { createRng } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import { loadCorpus, loadTokenizer } from '../corpus/node';
import { splitCorpus } from './corpus-split';
import { encodeCorpus } from './encode-corpus';
import { createTokenWindows } from './token-windows';

const split = splitCorpus(encodeCorpus(loadCorpus(), loadTokenizer()));
const { training, heldOut } = split;

/** Where `window` (a view of one of the streams) starts in that stream. */
const offsetIn = (window: Int32Array, stream: Int32Array) =>
  (window.byteOffset - stream.byteOffset) / Int32Array.BYTES_PER_ELEMENT;

describe('createTokenWindows', () => {
  it('draws training windows of exactly the length, each starting with a sentence of the training text', () => {
    const windows = createTokenWindows(split, 32);
    const random = createRng(3);
    const sentenceStarts = new Set(training.sentenceStarts);
    for (let draw = 0; draw < 500; draw++) {
      const window = windows.training(random);
      expect(window.buffer).toBe(training.stream.buffer);
      expect(window).toHaveLength(32);
      expect(sentenceStarts.has(offsetIn(window, training.stream))).toBe(true);
    }
  });

  it('with whole words, ends every window where a word ends (no blank can start or end inside a word)', () => {
    const windows = createTokenWindows(split, 32, { wholeWords: true });
    const random = createRng(4);
    for (let draw = 0; draw < 500; draw++) {
      const window = windows.training(random);
      const end = offsetIn(window, training.stream) + window.length;
      expect(window.length).toBeLessThanOrEqual(32);
      expect(window.length).toBeGreaterThan(16);
      expect(training.wordStarts[end]).toBe(1);
    }
  });

  it('cuts the held-out text into consecutive windows, from its first sentence, never from training text', () => {
    const windows = createTokenWindows(split, 32, { wholeWords: true }).heldOut();
    expect(windows.length).toBeGreaterThan(100);
    let expectedStart = 0;
    for (const window of windows) {
      expect(window.buffer).toBe(heldOut.stream.buffer);
      expect(offsetIn(window, heldOut.stream)).toBe(expectedStart);
      expectedStart += window.length;
    }
    expect(createTokenWindows(split, 32).heldOut(3)).toHaveLength(3);
  });
});
