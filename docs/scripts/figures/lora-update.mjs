// LoRA's update W + s·AB, drawn to scale for the adapters @lm-objectives/lora's dry run plans on a
// real causal decoder of @lm-objectives/models: the shapes and parameter counts come from the plan.
import { planLoraTargets } from '@lm-objectives/lora';
import { createCausalDecoder } from '@lm-objectives/models';
import { COLORS, heading, rect, svgDocument, text, textLines } from './svg.mjs';

/** The decoder and adapter settings of the figure. */
export const LORA_FIGURE_SETTINGS = Object.freeze({
  decoder: { vocabularySize: 1000, hiddenSize: 256, numLayers: 4, numHeads: 4, maxPositions: 128 },
  adapters: { rank: 8, alpha: 16 },
});

/** The plan of the figure's adapters and the decoder's parameter count (needs a tfjs backend). */
export function planFigureAdapters() {
  const decoder = createCausalDecoder({ ...LORA_FIGURE_SETTINGS.decoder, seed: 1 });
  try {
    const plan = planLoraTargets(decoder.linears, LORA_FIGURE_SETTINGS.adapters);
    const modelParameters = decoder.variables.reduce((total, variable) => total + variable.size, 0);
    return { plan, modelParameters, linearCount: Object.keys(decoder.linears).length };
  } finally {
    decoder.dispose();
  }
}

const count = (value) => value.toLocaleString('en-US');

/** The figure: one adapted linear to scale, then the whole plan. */
export function renderLoraUpdate({ plan, modelParameters, linearCount }) {
  const target = plan.targets[0];
  const { inputSize, outputSize } = target;
  const { rank } = plan;
  const width = 640;
  const margin = 16;
  const scale = 150 / Math.max(inputSize, outputSize);
  const thin = (size) => Math.max(6, size * scale);
  const wWidth = outputSize * scale;
  const wHeight = inputSize * scale;
  const top = 80;
  const body = heading(
    `LoRA on ${target.name}: W + s·AB, to scale`,
    `planLoraTargets(decoder.linears, { rank: ${rank}, alpha: ${plan.alpha} }), s = α / r = ${plan.scaling}`,
    { mono: true },
  );
  // W, frozen.
  let x = margin + 20;
  body.push(rect(x, top, wWidth, wHeight, { fill: COLORS.frozen, stroke: COLORS.muted }));
  body.push(
    text(x + wWidth / 2, top + wHeight / 2 - 4, 'W', { size: 22, anchor: 'middle', weight: 600 }),
  );
  body.push(
    text(x + wWidth / 2, top + wHeight / 2 + 16, 'frozen', {
      size: 12,
      anchor: 'middle',
      color: COLORS.muted,
    }),
  );
  body.push(
    text(x + wWidth / 2, top + wHeight + 18, `[${inputSize}, ${outputSize}]`, {
      mono: true,
      size: 12,
      anchor: 'middle',
    }),
  );
  body.push(
    text(x + wWidth / 2, top + wHeight + 34, `${count(inputSize * outputSize)} weights`, {
      size: 12,
      anchor: 'middle',
      color: COLORS.muted,
    }),
  );
  x += wWidth + 22;
  body.push(text(x, top + wHeight / 2 + 8, '+', { size: 26, anchor: 'middle' }));
  x += 22;
  body.push(text(x, top + wHeight / 2 + 6, 's ·', { size: 18 }));
  x += 34;
  // A [in, r]: as tall as W, r wide.
  const aWidth = thin(rank);
  body.push(rect(x, top, aWidth, wHeight, { fill: COLORS.trainable }));
  body.push(text(x + aWidth / 2, top - 8, 'A', { size: 16, anchor: 'middle', weight: 600 }));
  body.push(
    text(x + aWidth / 2, top + wHeight + 18, `[${inputSize}, ${rank}]`, {
      mono: true,
      size: 12,
      anchor: 'middle',
    }),
  );
  x += aWidth + 20;
  body.push(text(x, top + wHeight / 2 + 6, '·', { size: 22, anchor: 'middle' }));
  x += 20;
  // B [r, out]: r tall, as wide as W.
  const bHeight = thin(rank);
  const bTop = top + wHeight / 2 - bHeight / 2;
  body.push(rect(x, bTop, wWidth, bHeight, { fill: COLORS.trainable }));
  body.push(text(x + wWidth / 2, bTop - 8, 'B', { size: 16, anchor: 'middle', weight: 600 }));
  body.push(
    text(x + wWidth / 2, bTop + bHeight + 18, `[${rank}, ${outputSize}]`, {
      mono: true,
      size: 12,
      anchor: 'middle',
    }),
  );
  body.push(
    text(
      x + wWidth / 2,
      top + wHeight + 18,
      `A and B: ${count(target.adapterParameters)} trainable`,
      { size: 12, anchor: 'middle', color: COLORS.trainable },
    ),
  );
  body.push(
    text(
      x + wWidth / 2,
      top + wHeight + 34,
      `(${((100 * target.adapterParameters) / (inputSize * outputSize)).toFixed(2)} % of W)`,
      { size: 12, anchor: 'middle', color: COLORS.muted },
    ),
  );
  const lines = [
    `y = xW + b + s · (x A) B; B starts at 0, so the adapted model equals the base at step 0.`,
    `The plan adapts ${plan.targets.length} of ${linearCount} linears (the query and value projections):`,
    `${count(plan.adapterParameters)} trainable parameters, ${((100 * plan.adapterParameters) / modelParameters).toFixed(2)} % of the decoder's ${count(modelParameters)}.`,
  ];
  const notes = textLines(margin, top + wHeight + 64, lines, { size: 12, lineHeight: 18 });
  body.push(...notes.svg);
  return svgDocument({
    width,
    height: notes.next + margin - 6,
    title: "LoRA's low-rank update",
    description: `The frozen kernel W of shape [${inputSize}, ${outputSize}] plus s times A [${inputSize}, ${rank}] times B [${rank}, ${outputSize}], drawn to scale: A and B hold ${target.adapterParameters} trainable parameters against W's ${inputSize * outputSize}. Across the decoder the plan adapts ${plan.targets.length} linears with ${plan.adapterParameters} trainable parameters.`,
    body,
  });
}

/** The figure's file. */
export function loraFigures() {
  return [{ file: 'lora-update.svg', svg: renderLoraUpdate(planFigureAdapters()) }];
}
