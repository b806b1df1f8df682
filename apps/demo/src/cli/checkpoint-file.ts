import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The tasks with a shipped checkpoint. */
export type CheckpointTaskId = 'bert' | 'glm' | 'causal';

/** Where a task's shipped checkpoint lives: `apps/demo/checkpoints/<task>.safetensors`. */
export function checkpointUrl(task: CheckpointTaskId): URL {
  return new URL(`../../checkpoints/${task}.safetensors`, import.meta.url);
}

/** The shipped causal checkpoint (written by `pnpm --filter @lm-objectives/demo checkpoints`). */
export const CAUSAL_CHECKPOINT_URL = checkpointUrl('causal');

/** Reads a checkpoint file (Node), or says how to make it when it is missing. */
export function readCheckpointFile(url: URL = CAUSAL_CHECKPOINT_URL): Uint8Array {
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(
      `readCheckpointFile: no checkpoint at ${path}. Fix: write it with \`pnpm --filter @lm-objectives/demo checkpoints\`, or train from scratch with --from-scratch.`,
    );
  }
  return new Uint8Array(readFileSync(path));
}
