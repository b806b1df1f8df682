import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shipped causal checkpoint (written by `pnpm --filter @lm-objectives/demo checkpoints`). */
export const CAUSAL_CHECKPOINT_URL = new URL('../../checkpoints/causal.safetensors', import.meta.url);

/** Reads a checkpoint file (Node), or says how to make it when it is missing. */
export function readCheckpointFile(url: URL = CAUSAL_CHECKPOINT_URL): Uint8Array {
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(
      `readCheckpointFile: no checkpoint at ${path}. Fix: write it with \`pnpm --filter @lm-objectives/demo checkpoints\`, or fine-tune this run's causal model with --from-scratch.`,
    );
  }
  return new Uint8Array(readFileSync(path));
}
