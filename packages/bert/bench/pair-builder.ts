import { createRng } from '@lm-objectives/core';
import { createNextSentencePairBuilder } from '../src/index';
import { type Measurement, measureSideBySide } from './measure';

/** Pair-builder throughput in input tokens per second on a synthetic corpus, at lengths 128 and 512. */
export function benchmarkPairBuilder(smoke: boolean): Measurement[] {
  const random = createRng(4);
  const documents = Array.from({ length: smoke ? 50 : 1000 }, () =>
    Array.from({ length: random.int(5, 60) }, () =>
      Array.from({ length: random.int(5, 40) }, () => random.int(1000, 30_000)),
    ),
  );
  const inputTokens = documents.flat(2).length;
  const contender = (maxLength: number) => {
    const builder = createNextSentencePairBuilder({
      clsTokenId: 101,
      sepTokenId: 102,
      maxLength,
    });
    const source = createRng(5);
    return {
      name: `pair builder, maxLength ${maxLength} (${documents.length} documents, ${inputTokens} tokens)`,
      run: () => {
        builder.build(documents, source);
        return inputTokens;
      },
    };
  };
  return measureSideBySide([contender(128), contender(512)], {
    runs: smoke ? 2 : 15,
    warmup: smoke ? 1 : 2,
  });
}
