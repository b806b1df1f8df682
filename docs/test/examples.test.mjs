// Runs every example program of the site exactly as the pages show it (compiled by
// `tsc -p tsconfig.examples.json` into .examples-build) and checks that it trains: the printed
// losses are finite and the last one is below the first, and where a page shows the output
// (`<name>.output.txt`), that it prints exactly that.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const docsRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildFolder = join(docsRoot, '.examples-build');
const examples = readdirSync(join(docsRoot, 'examples')).filter((file) => file.endsWith('.ts'));

/** The `loss <number>` figures an example printed, in order. */
export function printedLosses(output) {
  return [...output.matchAll(/^step \d+ loss (\S+)/gm)].map((match) => Number(match[1]));
}

test('every example is compiled before it is run', () => {
  const compiled = readdirSync(buildFolder).filter((file) => file.endsWith('.js'));
  for (const example of examples) {
    assert.ok(compiled.includes(example.replace(/\.ts$/, '.js')), `${example} was not compiled`);
  }
});

for (const example of examples) {
  test(`the ${example} example runs as written and its loss falls`, {
    timeout: 180_000,
  }, async () => {
    const { stdout } = await run(
      process.execPath,
      [join(buildFolder, example.replace(/\.ts$/, '.js'))],
      {
        cwd: docsRoot,
      },
    );
    // An example whose page shows its output keeps it beside it; the page must not drift from it.
    const expectedOutput = join(docsRoot, 'examples', example.replace(/\.ts$/, '.output.txt'));
    if (existsSync(expectedOutput)) assert.equal(stdout, readFileSync(expectedOutput, 'utf8'));
    const losses = printedLosses(stdout);
    assert.ok(losses.length >= 3, `expected at least 3 printed losses, got:\n${stdout}`);
    for (const loss of losses) assert.ok(Number.isFinite(loss), `non-finite loss in:\n${stdout}`);
    const first = losses[0];
    const lastTwo = (losses.at(-1) + losses.at(-2)) / 2;
    assert.ok(lastTwo < first, `loss did not fall: ${losses.join(', ')}`);
  });
}
