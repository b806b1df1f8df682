import { createCausalDecoder } from '@lm-objectives/models';
import { readSafetensors, writeSafetensors } from '@lm-objectives/safetensors';
import { describeEachBackend } from '@lm-objectives/test-utils';
import { expect, it } from 'vitest';
import { createWordPieceTokenizer } from '../corpus/index';
import { loadTokenizer, loadVocabulary } from '../corpus/node';
import { createBertTask } from './bert-task';
import { createGlmTask } from './glm-task';
import {
  CHECKPOINT_FORMAT,
  CheckpointMismatchError,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCausalCheckpoint,
  restoreCheckpoint,
  vocabularyFingerprint,
} from './model-checkpoint';
import { tinyTaskOptions } from './test-fixtures';

const tokenizer = loadTokenizer();

function tinyDecoder() {
  return createCausalDecoder({
    vocabularySize: tokenizer.vocabularySize,
    hiddenSize: 16,
    numLayers: 1,
    numHeads: 2,
    maxPositions: 24,
    initializerRange: 0.1,
    seed: 4,
  });
}

describeEachBackend('the demo checkpoints', () => {
  it('store a causal decoder as float16 safetensors and load it back within half a float16 step', () => {
    const model = tinyDecoder();
    const bytes = encodeCheckpoint(model, tokenizer, { steps: '12' });
    const { tensors, metadata } = readSafetensors(bytes);
    expect(metadata['format']).toBe(CHECKPOINT_FORMAT);
    expect([...tensors.values()].every((tensor) => tensor.dtype === 'F16')).toBe(true);
    // Two bytes per parameter, plus the header.
    const parameters = Object.values(model.getWeights()).reduce((n, w) => n + w.data.length, 0);
    expect(bytes.length).toBeGreaterThan(2 * parameters);
    expect(bytes.length).toBeLessThan(2 * parameters + 8192);

    const loaded = loadCausalCheckpoint(bytes, tokenizer);
    expect(loaded.metadata.training).toEqual({ steps: '12' });
    expect(loaded.model.config.hiddenSize).toBe(16);
    expect(loaded.model.config.maxPositions).toBe(24);
    const original = model.getWeights();
    for (const [name, entry] of Object.entries(loaded.model.getWeights())) {
      const before = original[name]!.data;
      entry.data.forEach((value, index) => {
        // float16 keeps 11 significant bits: a relative error of at most 2^-11 (normal numbers).
        const tolerance = Math.max(Math.abs(before[index]!) * 2 ** -11, 2 ** -25);
        if (Math.abs(value - before[index]!) > tolerance) {
          expect.fail(`${name}[${index}]: ${value} vs ${before[index]}`);
        }
      });
    }
    expect(decodeCheckpoint(bytes).metadata.vocabulary).toBe(vocabularyFingerprint(tokenizer));
    loaded.model.dispose();
    model.dispose();
  });

  it('refuses a checkpoint of another vocabulary or another format, saying how to fix it', () => {
    const model = tinyDecoder();
    const bytes = encodeCheckpoint(model, tokenizer, {});
    const vocabulary = loadVocabulary();
    const other = createWordPieceTokenizer({
      ...vocabulary,
      tokens: vocabulary.tokens.map((token, index) => (index === 500 ? `${token}x` : token)),
    });
    expect(vocabularyFingerprint(other)).not.toBe(vocabularyFingerprint(tokenizer));
    expect(() => loadCausalCheckpoint(bytes, other)).toThrow(CheckpointMismatchError);
    expect(() => loadCausalCheckpoint(bytes, other)).toThrow(
      /pnpm --filter @lm-objectives\/demo checkpoints/,
    );
    const foreign = writeSafetensors({ w: { shape: [1], data: Float32Array.of(1) } });
    expect(() => decodeCheckpoint(foreign)).toThrow(/expected a demo checkpoint/);
    model.dispose();
  });

  it('restore a BERT task with its objective heads, so a task built from the checkpoint predicts as the trained one did', async () => {
    const trained = createBertTask({ ...tinyTaskOptions(), steps: 10 });
    await trained.train();
    const bytes = encodeCheckpoint(
      trained.model,
      tokenizer,
      { steps: String(trained.totalSteps) },
      {
        task: 'bert',
        heads: trained.objective.trainableWeights(),
      },
    );
    expect(decodeCheckpoint(bytes).metadata.task).toBe('bert');
    const restored = createBertTask({ ...tinyTaskOptions(), checkpoint: bytes });
    const fresh = createBertTask(tinyTaskOptions());
    const [a, b, c] = [trained, restored, fresh].map((task) => task.evaluate().loss);
    // float16 storage moves the loss by far less than training did.
    expect(Math.abs(b! - a!)).toBeLessThan(0.01);
    expect(Math.abs(c! - a!)).toBeGreaterThan(0.05);
    // Another task's checkpoint is refused, naming what was expected.
    expect(() => createGlmTask({ ...tinyTaskOptions(), checkpoint: bytes })).toThrow(
      /expected a glm checkpoint/,
    );
    for (const task of [trained, restored, fresh]) task.dispose();
  });

  it('refuse a checkpoint of other sizes', () => {
    const model = tinyDecoder();
    const bytes = encodeCheckpoint(model, tokenizer, {});
    const bert = createBertTask(tinyTaskOptions());
    expect(() =>
      restoreCheckpoint(bytes, tokenizer, { task: 'causal', model: bert.model }),
    ).toThrow(CheckpointMismatchError);
    bert.dispose();
    model.dispose();
  });
});
