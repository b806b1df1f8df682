// Generates, at build time, everything the pages show that comes from code or measurements: the
// figures (SVG, drawn from the real packages' output), the Performance page's summary, charts and
// lists (from the committed benchmark results), and copies of those result files for the site.
//
// Writes `public/figures/*.svg`, `public/benchmarks/<package>/*.json` (served by VitePress as is)
// and `.generated/*.md` (included by the pages). Run: `node scripts/build-figures.mjs`.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { renderPerformancePage } from './benchmarks/performance-page.mjs';
import { docsRoot, repositoryRoot } from './benchmarks/result-files.mjs';
import { bertMaskingFigures } from './figures/bert-masking.mjs';
import { fusedChunkingFigures } from './figures/fused-chunking.mjs';
import { glmFigures } from './figures/glm-sample.mjs';
import { loraFigures } from './figures/lora-update.mjs';
import { objectiveContractFigures } from './figures/objective-contract.mjs';
import { prefixFigures } from './figures/prefix-attention.mjs';

/** Every figure of the site, as `{ file, svg }`. */
export function renderFigures(root = repositoryRoot) {
  return [
    ...objectiveContractFigures(),
    ...bertMaskingFigures(),
    ...glmFigures(),
    ...loraFigures(),
    ...prefixFigures(),
    ...fusedChunkingFigures(root),
  ];
}

/** Writes the figures, the performance fragments and the result copies under `outputRoot`. */
export function writeGeneratedFiles(outputRoot = docsRoot, root = repositoryRoot) {
  const figuresFolder = join(outputRoot, 'public', 'figures');
  const benchmarksFolder = join(outputRoot, 'public', 'benchmarks');
  const fragmentsFolder = join(outputRoot, '.generated');
  for (const folder of [figuresFolder, benchmarksFolder])
    rmSync(folder, { recursive: true, force: true });
  for (const folder of [figuresFolder, benchmarksFolder, fragmentsFolder])
    mkdirSync(folder, { recursive: true });
  const performance = renderPerformancePage(root);
  const figures = [...renderFigures(root), ...performance.charts];
  for (const { file, svg } of figures) writeFileSync(join(figuresFolder, file), svg);
  for (const [name, markdown] of Object.entries(performance.fragments)) {
    writeFileSync(join(fragmentsFolder, name), markdown);
  }
  for (const { from, to } of performance.copies) {
    const destination = join(outputRoot, 'public', to);
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(from, destination);
  }
  return {
    figures: figures.length,
    fragments: Object.keys(performance.fragments).length,
    copies: performance.copies.length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const written = writeGeneratedFiles();
  console.log(
    `build-figures: ${written.figures} figures, ${written.fragments} page fragments, ${written.copies} result files copied`,
  );
}
