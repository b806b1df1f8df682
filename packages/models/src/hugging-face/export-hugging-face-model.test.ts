import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import { expect, it } from 'vitest';
import { EXPORTED_MODELS } from '../../test/exported-models';
import { maxError, readFixture, runOnFixture } from '../../test/hugging-face-fixtures';
import { tinyBert, tinyDecoder, tinyGlm, tinyLlama } from '../../test/tiny-models';
import { exportHuggingFaceModel } from './export-hugging-face-model';
import { importHuggingFaceModel } from './import-hugging-face-model';

const exported = (name: string, file: string) =>
  readFileSync(new URL(`./__fixtures__/exported/${name}/${file}`, import.meta.url));

describeEachBackend('exportHuggingFaceModel', () => {
  for (const name of Object.keys(EXPORTED_MODELS)) {
    it(`writes the ${name} checkpoint PyTorch loaded strictly, and PyTorch's logits and loss match ours within 1e-4`, () => {
      const model = EXPORTED_MODELS[name]!();
      try {
        const files = exportHuggingFaceModel(model);
        // The committed files are the ones PyTorch checked: the export must not have changed.
        expect(JSON.parse(files.configJson)).toEqual(
          JSON.parse(exported(name, 'config.json').toString('utf8')),
        );
        expect(Buffer.from(files.weights).equals(exported(name, 'model.safetensors'))).toBe(true);
        const torch = JSON.parse(exported(name, 'torch-check.json').toString('utf8'));
        expect(torch.architecture).toBe(files.architecture);
        const ours = runOnFixture(model, readFixture(name).expected.inputs);
        expect(maxError(ours.logits, torch.logits.flat(2)), 'logits').toBeLessThan(1e-4);
        if (torch.nextSentenceLogits) {
          expect(
            maxError(ours.nextSentenceLogits!, torch.nextSentenceLogits.flat()),
            'NSP',
          ).toBeLessThan(1e-4);
        }
        expect(Math.abs(ours.loss - torch.loss), 'loss').toBeLessThan(1e-4);
      } finally {
        model.dispose();
      }
    });
  }

  it('round-trips: importing an export gives back every weight bit for bit', async () => {
    for (const create of Object.values(EXPORTED_MODELS)) {
      const model = create();
      const files = exportHuggingFaceModel(model);
      const { model: copy } = await importHuggingFaceModel({
        config: files.configJson,
        weights: files.weights,
      });
      for (const [name, variable] of Object.entries(model.weights)) {
        expect(Array.from(copy.weights[name]!.dataSync()), name).toEqual(
          Array.from(variable.dataSync()),
        );
      }
      model.dispose();
      copy.dispose();
    }
  });

  it("exports a BERT encoder without heads together with the BERT objective's heads", () => {
    const withHeads = EXPORTED_MODELS['bert']!();
    const plain = tinyBert({
      seed: 1,
      activation: 'gelu-tanh',
      pooler: true,
      intermediateSize: 32,
      maxPositions: 20,
      vocabularySize: 23,
    });
    plain.setWeights(
      Object.fromEntries(
        Object.entries(withHeads.getWeights()).filter(([name]) => !name.startsWith('heads.')),
      ),
    );
    const w = withHeads.weights;
    const bertHeads = {
      maskedLm: {
        transformKernel: w['heads.maskedLm.transform.kernel']!,
        transformBias: w['heads.maskedLm.transform.bias']!,
        layerNormGamma: w['heads.maskedLm.layerNorm.gamma']!,
        layerNormBeta: w['heads.maskedLm.layerNorm.beta']!,
        outputBias: w['heads.maskedLm.outputBias']!,
      },
      nextSentence: {
        classifierKernel: w['heads.nextSentence.kernel']!,
        classifierBias: w['heads.nextSentence.bias']!,
      },
    };
    const files = exportHuggingFaceModel(plain, { bertHeads });
    expect(Buffer.from(files.weights).equals(exported('bert', 'model.safetensors'))).toBe(true);
    const exact = tinyBert({ pooler: true, activation: 'gelu-exact' });
    expect(() => exportHuggingFaceModel(exact, { bertHeads })).toThrow(
      /'model\.config\.activation' is invalid\. Expected 'gelu-tanh' with bertHeads/,
    );
    for (const model of [withHeads, plain, exact]) model.dispose();
  });

  it("states a Llama's hidden dropout, which Hugging Face's Llama lacks, and reads it back", async () => {
    const model = tinyLlama({ hiddenDropout: 0.1 });
    const files = exportHuggingFaceModel(model);
    expect(files.config['hidden_dropout']).toBe(0.1);
    const { model: copy } = await importHuggingFaceModel({
      config: files.config,
      weights: files.weights,
    });
    expect(copy.config.hiddenDropout).toBe(0.1);
    model.dispose();
    copy.dispose();
  });

  it('refuses what no Hugging Face architecture represents, with the reason', () => {
    const glm = tinyGlm();
    const postDecoder = tinyDecoder({ normalization: 'post' });
    const headless = tinyBert();
    expect(() => exportHuggingFaceModel(glm)).toThrow(InvalidArgumentError);
    expect(() => exportHuggingFaceModel(glm)).toThrow(
      /GLM's two position tables have no Hugging Face architecture/,
    );
    expect(() => exportHuggingFaceModel(postDecoder)).toThrow(
      /Expected 'pre' \(GPT-2 normalises before each sub-layer\)/,
    );
    expect(() => exportHuggingFaceModel(headless)).toThrow(
      /build the encoder with preTrainingHeads: true, or pass the BERT objective's heads/,
    );
    expect(() => exportHuggingFaceModel(headless, { bertheads: {} } as never)).toThrow(/bertheads/);
    for (const model of [glm, postDecoder, headless]) model.dispose();
  });
});
