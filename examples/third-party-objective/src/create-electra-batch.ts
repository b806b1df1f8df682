import {
  checkRandomSource,
  checkTokenIdRows,
  IGNORE_INDEX,
  type RandomSource,
} from '@lm-objectives/core';
import type { ElectraBatch } from './electra-batch';
import type { ResolvedElectraOptions } from './electra-options';

const FUNCTION_NAME = 'electra/replaced-token-detection createBatch';

/** The ids a replacement may be drawn from: every id that is not reserved. */
export function proposalIds(options: ResolvedElectraOptions): Int32Array {
  const ids: number[] = [];
  for (let id = 0; id < options.vocabularySize; id++)
    if (!options.reservedIds.has(id)) ids.push(id);
  return Int32Array.from(ids);
}

/**
 * The data side of ELECTRA: pads the rows, masks $\max(1, \mathrm{round}(r \cdot n))$ of each row's
 * $n$ ordinary tokens ($r$ = `maskRatio`) (chosen uniformly without replacement), writes `[MASK]` there for the
 * generator, and for the discriminator replaces each masked token with a proposal drawn uniformly
 * from the non-reserved vocabulary. A proposal equal to the original is labelled 0 (not
 * replaced), as in the paper. Every random choice comes from `random`.
 */
export function createElectraBatch(
  examples: unknown,
  options: ResolvedElectraOptions,
  random: RandomSource,
): ElectraBatch {
  const site = (argumentName: string) => ({ functionName: FUNCTION_NAME, argumentName });
  const rows = checkTokenIdRows(site('examples'), examples, {
    vocabularySize: options.vocabularySize,
    minRows: 1,
  });
  checkRandomSource(site('random'), random);
  const size = rows.length;
  const sequence = Math.max(1, ...rows.map((row) => row.length));
  const total = size * sequence;
  const generatorInputIds = new Int32Array(total).fill(options.padTokenId);
  const generatorLabels = new Int32Array(total).fill(IGNORE_INDEX);
  const discriminatorInputIds = new Int32Array(total).fill(options.padTokenId);
  const discriminatorLabels = new Int32Array(total);
  const attentionMask = new Uint8Array(total);
  const proposals = proposalIds(options);
  let masked = 0;
  let real = 0;
  rows.forEach((example, row) => {
    const ordinary: number[] = [];
    for (let position = 0; position < example.length; position++) {
      const at = row * sequence + position;
      const id = example[position]!;
      generatorInputIds[at] = id;
      discriminatorInputIds[at] = id;
      attentionMask[at] = 1;
      if (!options.reservedIds.has(id)) ordinary.push(at);
    }
    real += example.length;
    if (ordinary.length === 0) return;
    const count = Math.min(
      ordinary.length,
      Math.max(1, Math.round(options.maskRatio * ordinary.length)),
    );
    // Partial Fisher–Yates: the first `count` entries become a uniform sample without replacement.
    for (let pick = 0; pick < count; pick++) {
      const swap = random.int(pick, ordinary.length - 1);
      [ordinary[pick], ordinary[swap]] = [ordinary[swap]!, ordinary[pick]!];
      const at = ordinary[pick]!;
      const original = generatorInputIds[at]!;
      const proposal = proposals[random.int(0, proposals.length - 1)]!;
      generatorInputIds[at] = options.maskTokenId;
      generatorLabels[at] = original;
      discriminatorInputIds[at] = proposal;
      discriminatorLabels[at] = proposal === original ? 0 : 1;
    }
    masked += count;
  });
  const shape = [size, sequence];
  return {
    size,
    dimensions: { batch: size, sequence },
    fields: {
      generatorInputIds: { dtype: 'int32', shape, data: generatorInputIds },
      generatorLabels: { dtype: 'int32', shape, data: generatorLabels },
      discriminatorInputIds: { dtype: 'int32', shape, data: discriminatorInputIds },
      discriminatorLabels: { dtype: 'int32', shape, data: discriminatorLabels },
      attentionMask: { dtype: 'bool', shape, data: attentionMask },
    },
    counts: { generator: masked, discriminator: real },
  };
}
