// Test support (not exported), run as a child process by the kill suite (bundled by esbuild):
// loads a checkpoint from `source`, says `ready`, and on a line `go` from the parent saves it into
// `target` through a file system whose every call is delayed, announcing each call on stdout
// before it runs — until the parent kills it.
import { nodeFileSystem } from '../checkpoint/directory/checkpoint-file-system';
import { loadFromDirectory } from '../checkpoint/directory/load-from-directory';
import { saveToDirectory } from '../checkpoint/directory/save-to-directory';
import { wrapFileSystem } from './faulty-file-system';

const [source, target, delay] = process.argv.slice(2) as [string, string, string];
const delayMs = Number(delay);

async function main(): Promise<void> {
  const checkpoint = await loadFromDirectory(nodeFileSystem, source);
  let calls = 0;
  const slow = wrapFileSystem(nodeFileSystem, async (label, run) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    // Pipes are written synchronously on Linux: the parent has this line before the call runs.
    process.stdout.write(`call ${calls++} ${label}\n`);
    return run();
  });
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.destroy();
  const started = performance.now();
  process.stdout.write('saving\n');
  await saveToDirectory(slow, checkpoint, target, { chunkBytes: 1024 });
  process.stdout.write(`done ${performance.now() - started}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
