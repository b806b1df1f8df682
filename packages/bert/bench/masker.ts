import { createRng } from '@lm-objectives/core';
import { createMaskedLmMasker, type MaskedLmMaskerOptions } from '../src/index';
import { type Measurement, measureSideBySide } from './measure';

const VOCABULARY_SIZE = 30522;
const PAD = 0;
const CLS = 101;
const SEP = 102;
const MASK = 103;

/** Masker throughput on `[16, 512]` batches (tokens per second), next to a bare JavaScript loop. */
export function benchmarkMasker(smoke: boolean): Measurement[] {
  const batchSize = 16;
  const length = 512;
  const repetitions = smoke ? 2 : 20;
  const random = createRng(1);
  const inputIds = new Int32Array(batchSize * length);
  const wordIds = new Int32Array(batchSize * length).fill(-1);
  for (let row = 0; row < batchSize; row++) {
    let word = 0;
    for (let position = 1; position < length - 1; position++) {
      inputIds[row * length + position] = random.int(1000, VOCABULARY_SIZE - 1);
      // Words of 1–3 sub-tokens.
      wordIds[row * length + position] = word;
      if (random.int(0, 2) === 0) word++;
    }
    inputIds[row * length] = CLS;
    inputIds[row * length + length - 1] = SEP;
  }
  const tokens = repetitions * batchSize * length;
  const base: MaskedLmMaskerOptions = {
    vocabularySize: VOCABULARY_SIZE,
    maskTokenId: MASK,
    padTokenId: PAD,
    specialTokenIds: [CLS, SEP],
  };
  const masking = (name: string, options: Partial<MaskedLmMaskerOptions>, words = false) => {
    const masker = createMaskedLmMasker({ ...base, ...options });
    const source = createRng(2);
    const input = { inputIds, shape: [batchSize, length] as const, ...(words ? { wordIds } : {}) };
    return {
      name,
      run: () => {
        for (let index = 0; index < repetitions; index++) masker.mask(input, source);
        return tokens;
      },
    };
  };
  // The floor of any masker: one pass writing corrupted ids and labels, Math.random per token.
  const bareLoop = {
    name: 'bare JS loop (Math.random Bernoulli, [MASK] only)',
    run: () => {
      for (let index = 0; index < repetitions; index++) {
        const output = inputIds.slice();
        const labels = new Int32Array(inputIds.length).fill(-100);
        for (let position = 0; position < inputIds.length; position++) {
          if (Math.random() < 0.15) {
            labels[position] = inputIds[position]!;
            output[position] = MASK;
          }
        }
      }
      return tokens;
    },
  };
  const core = createRng(3);
  const draws = {
    name: 'core RandomSource.nextUint32 alone (draws/s, for reference)',
    run: () => {
      let sink = 0;
      for (let index = 0; index < tokens; index++) sink ^= core.nextUint32();
      return sink === -1 ? 0 : tokens;
    },
  };
  return measureSideBySide(
    [
      bareLoop,
      masking('masker exact-round (default)', {}),
      masking('masker exact-ceil', { selection: 'exact-ceil' }),
      masking('masker bernoulli', { selection: 'bernoulli' }),
      masking('masker exact-round, whole words', {}, true),
      draws,
    ],
    { runs: smoke ? 2 : 21, warmup: smoke ? 1 : 3 },
  );
}
