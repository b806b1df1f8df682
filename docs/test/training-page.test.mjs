// Keeps "Training, checkpoints and errors" in step with the trainer: every error class the trainer
// exports has its own section, and every function the page names is one the trainer exports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const docsRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const trainerSource = join(docsRoot, '..', 'packages', 'trainer', 'src');
const page = readFileSync(join(docsRoot, 'guide', 'training.md'), 'utf8');

/** The value names an entry point exports (`export { a, type B, c } from …`), without the types. */
function exportedValues(file) {
  const source = readFileSync(join(trainerSource, file), 'utf8');
  return [...source.matchAll(/export\s*\{([^}]*)\}/g)]
    .flatMap((match) => match[1].split(','))
    .map((name) => name.trim())
    .filter((name) => name && !name.startsWith('type '));
}

const trainerValues = [...exportedValues('index.ts'), ...exportedValues('node.ts')];

test('every error class the trainer exports has a section of its own', () => {
  const errors = trainerValues.filter((name) => name.endsWith('Error'));
  assert.ok(errors.length >= 6, `expected the trainer's error classes, found ${errors.join(', ')}`);
  for (const error of [...errors, 'InvalidArgumentError']) {
    assert.match(page, new RegExp(`^### \`${error}\`: `, 'm'), `no section for ${error}`);
  }
});

test("the checkpoint functions the page names are the trainer's exports", () => {
  const named = new Set(page.match(/\b(?:save|load|delete)Checkpoint\w*/g));
  assert.ok(named.size >= 4, `expected the stores' functions on the page, found ${[...named]}`);
  const methods = ['saveCheckpoint', 'loadCheckpoint']; // the trainer's own methods
  for (const name of named) {
    assert.ok(
      methods.includes(name) || trainerValues.includes(name),
      `${name} is not exported by @lm-objectives/trainer or @lm-objectives/trainer/node`,
    );
  }
});
