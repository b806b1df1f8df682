import {
  checkTensor,
  checkTokenIds,
  type DimensionSizes,
  InvalidArgumentError,
} from '@lm-objectives/core';
import type { BertBatch } from '../bert-batch';
import { checkBertBatch } from '../internal/check-bert-batch';
import type { BertModelOutputs } from './bert-model-outputs';

/** What the loss checks the inputs against. */
export interface BertLossShape {
  readonly vocabularySize: number;
  readonly hiddenSize: number;
  /** Whether `outputs.pooledOutput` is required (`pooler: 'model'`). */
  readonly modelPooler: boolean;
}

/** Checks the scored positions (in $[0, B \cdot L)$) and their labels (in $[0, V)$), as many of each. */
function checkScored(functionName: string, batch: BertBatch, vocabularySize: number): void {
  const { scoredPositions, scoredLabels } = batch.fields;
  const rows = batch.size * (batch.dimensions['sequence'] ?? 0);
  const positions = scoredPositions.data;
  for (let index = 0; index < positions.length; index++) {
    const position = positions[index]!;
    if (!(position >= 0 && position < rows)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `batch.fields.scoredPositions[${index}]`,
        expected: `a flat position b·L + t in [0, ${rows})`,
        received: position,
        fix: 'pass the batch made by createBatch (or createBertBatch), unchanged.',
      });
    }
  }
  checkTokenIds({ functionName, argumentName: 'batch.fields.scoredLabels' }, scoredLabels.data, {
    vocabularySize,
    length: positions.length,
  });
}

/**
 * Checks the loss inputs: a {@link BertBatch} with valid scored positions and labels, and float32
 * outputs `hiddenStates` `[batch, sequence, hidden]`, `embeddingTable` `[vocabulary, hidden]` and,
 * when required, `pooledOutput` `[batch, hidden]`, with the sizes of the batch and the options.
 */
export function checkBertLossInputs(
  functionName: string,
  outputs: unknown,
  batch: unknown,
  shape: BertLossShape,
): asserts outputs is BertModelOutputs {
  checkBertBatch(functionName, batch);
  if (outputs == null || typeof outputs !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'outputs',
      expected: '{ hiddenStates, embeddingTable, pooledOutput? }',
      received: outputs,
      fix: 'pass the encoder’s last hidden states and its input embedding table.',
    });
  }
  const given = outputs as Partial<BertModelOutputs>;
  const dimensions: DimensionSizes = {
    batch: batch.size,
    sequence: batch.dimensions['sequence'] ?? 0,
    hidden: shape.hiddenSize,
    vocabulary: shape.vocabularySize,
  };
  const site = (name: string) => ({ functionName, argumentName: `outputs.${name}` });
  checkTensor(site('hiddenStates'), given.hiddenStates, {
    dtypes: ['float32'],
    shape: ['batch', 'sequence', 'hidden'],
    dimensions,
  });
  checkTensor(site('embeddingTable'), given.embeddingTable, {
    dtypes: ['float32'],
    shape: ['vocabulary', 'hidden'],
    dimensions,
  });
  if (shape.modelPooler) {
    if (given.pooledOutput === undefined) {
      throw new InvalidArgumentError({
        ...site('pooledOutput'),
        expected:
          "the model's pooled output, a float32 tensor [batch, hidden] (the objective uses pooler: 'model')",
        received: undefined,
        fix: "pass outputs.pooledOutput, or create the objective with pooler: 'objective' to use its own pooler.",
      });
    }
    checkTensor(site('pooledOutput'), given.pooledOutput, {
      dtypes: ['float32'],
      shape: ['batch', 'hidden'],
      dimensions,
    });
  }
  checkScored(functionName, batch, shape.vocabularySize);
}
