// Follows Getting started the way a new user does, in fresh folders outside the repository: packs
// the packages with the repository's script, creates a project with npm, installs the tarballs
// with the page's exact `npm i` line (TensorFlow.js from the npm registry), saves the first example
// there, runs it with plain `node`, and compares what it prints with the output the page shows;
// then packs and installs what the complete programs need (tsx too) and runs the BERT one.
// Needs the packages built (turbo's `^build`) and the npm registry.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const docsRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repositoryRoot = join(docsRoot, '..');
const page = readFileSync(join(docsRoot, 'guide', 'getting-started.md'), 'utf8');
const exampleFolder = join(docsRoot, 'examples', 'first-steps');
const expectedOutput = readFileSync(join(exampleFolder, 'first-steps.output.txt'), 'utf8');

/** The page's shell lines that start with `prefix`. */
function pageCommands(prefix) {
  return page.split('\n').filter((line) => line.startsWith(prefix));
}

test('the page clones the repository named in the root package.json', () => {
  const { repository } = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8'));
  const url = repository.url.replace(/^git\+/, '');
  assert.ok(page.includes(`git clone ${url}`), `expected "git clone ${url}" on the page`);
});

test('the page shows the first example, the command that runs it and its output', () => {
  assert.ok(page.includes('<<< @/examples/first-steps/first-steps.mjs'));
  assert.ok(page.includes('<<< @/examples/first-steps/first-steps.output.txt'));
  assert.ok(page.includes('\nnode first-steps.mjs\n'));
  const lines = readFileSync(join(exampleFolder, 'first-steps.mjs'), 'utf8').trim().split('\n');
  assert.ok(lines.length <= 40, `the first example has ${lines.length} lines; keep it short`);
});

test('a fresh project installs the packed packages as the page says, prints the expected output and runs the BERT program with tsx', {
  timeout: 600_000,
}, async () => {
  const [packCommand] = pageCommands('npm run pack:packages -- bert');
  assert.equal(packCommand, 'npm run pack:packages -- bert', 'the page packs BERT first');
  const [installCommand] = pageCommands('npm i ../lm-objectives/packed/lm-objectives-core.tgz');
  assert.ok(installCommand, 'the page installs the packed tarballs with npm i');
  assert.ok(page.includes('npm init -y\nnpm pkg set type=module\n'));

  const folder = mkdtempSync(join(tmpdir(), 'lm-objectives-getting-started-'));
  try {
    // `npm run pack:packages -- bert` = build (done by turbo before this test) + this script.
    await run(process.execPath, [
      join(repositoryRoot, 'scripts', 'pack-packages.mjs'),
      'bert',
      '--destination',
      join(folder, 'lm-objectives', 'packed'),
    ]);
    const project = join(folder, 'first-steps');
    mkdirSync(project);
    await run('npm', ['init', '-y'], { cwd: project });
    await run('npm', ['pkg', 'set', 'type=module'], { cwd: project });
    const [, ...installArguments] = installCommand.split(' ');
    await run('npm', [...installArguments, '--no-audit', '--no-fund'], { cwd: project });
    copyFileSync(join(exampleFolder, 'first-steps.mjs'), join(project, 'first-steps.mjs'));
    const { stdout, stderr } = await run('node', ['first-steps.mjs'], { cwd: project });
    assert.equal(stdout, expectedOutput);
    assert.equal(stderr, '', 'the first example writes nothing to stderr');

    // Then the complete BERT program, with the page's second pack and install lines (tsx included).
    const [packMore] = pageCommands('npm run pack:packages -- bert models trainer');
    assert.ok(packMore, 'the page packs the packages the complete programs import');
    const packed = await run(process.execPath, [
      join(repositoryRoot, 'scripts', 'pack-packages.mjs'),
      ...packMore.split(' ').slice(4),
      '--destination',
      join(folder, 'lm-objectives', 'packed'),
    ]);
    const installMore = pageCommands('npm i ../lm-objectives/packed/').find((line) =>
      line.includes(' tsx@'),
    );
    assert.ok(installMore, 'the page installs tsx with the packages of the complete programs');
    for (const [tarball] of packed.stdout.matchAll(/lm-objectives-[\w-]+\.tgz/g)) {
      assert.ok(installMore.includes(`/${tarball}`), `the page's install line omits ${tarball}`);
    }
    await run('npm', [...installMore.split(' ').slice(1), '--no-audit', '--no-fund'], {
      cwd: project,
    });
    assert.ok(pageCommands('node --import tsx bert.ts').length > 0);
    copyFileSync(join(docsRoot, 'examples', 'bert.ts'), join(project, 'bert.ts'));
    const bert = await run('node', ['--import', 'tsx', 'bert.ts'], { cwd: project });
    const losses = [...bert.stdout.matchAll(/^step \d+ loss (\S+)/gm)].map((m) => Number(m[1]));
    assert.ok(losses.length >= 3, `expected printed losses, got:\n${bert.stdout}`);
    assert.ok(losses.at(-1) < losses[0], `the loss did not fall: ${losses.join(', ')}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
