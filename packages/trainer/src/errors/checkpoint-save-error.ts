import { LmObjectivesError } from '@lm-objectives/core';
import { hasMarker } from '../internal/has-marker';

const marker = 'lm-objectives.error.checkpoint-save';
const symbol = Symbol.for(marker);

/** What a {@link CheckpointSaveError} reports. */
export interface CheckpointSaveFailure {
  /** The save function, e.g. `'saveCheckpointToDirectory'`. */
  readonly functionName: string;
  /** Where the checkpoint was being saved (a directory, or an IndexedDB name). */
  readonly location: string;
  /** The operation that failed, e.g. `'writing chunk-00001.bin'`. */
  readonly operation: string;
  /**
   * Whether the new checkpoint had already replaced the previous one when the failure happened:
   * `false` (every failure before the switch) — the previous checkpoint is unchanged; `true` — the
   * switch happened but was not confirmed durable; `'unknown'` — the switch itself failed and its
   * outcome could not be read back: either checkpoint is in place, complete.
   */
  readonly committed: boolean | 'unknown';
  /** The underlying error. */
  readonly cause: unknown;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message || cause.name;
  return String(cause);
}

/**
 * A checkpoint save failed. When `committed` is `false` (every failure before the switch), the
 * location still holds the previous checkpoint, complete and loadable. When it is `true`, the new
 * checkpoint is in place but the storage did not confirm that the switch is durable: a power loss
 * could still bring back the previous checkpoint, so save again. In every case the location holds
 * one complete checkpoint.
 */
export class CheckpointSaveError extends LmObjectivesError {
  protected readonly [symbol] = true;
  /** The save function that failed. */
  readonly functionName: string;
  /** Where the checkpoint was being saved. */
  readonly location: string;
  /** The operation that failed, e.g. `'writing chunk-00001.bin'`. */
  readonly operation: string;
  /** See {@link CheckpointSaveFailure.committed}. */
  readonly committed: boolean | 'unknown';
  /** The file-system or IndexedDB error code of the cause, when it has one (e.g. `'ENOSPC'`). */
  readonly code: string | undefined;

  /** @param failure what failed, where, and whether the switch had happened. */
  constructor(failure: CheckpointSaveFailure) {
    const outcome =
      failure.committed === true
        ? 'the new checkpoint is in place, but the storage did not confirm that it reached the disk: a power loss could still bring back the previous one. Fix: save again'
        : failure.committed === false
          ? 'the previous checkpoint there is unchanged. Fix: check free space and permissions, then save again'
          : 'whether the switch happened could not be read back: the location holds the previous or the new checkpoint, either one complete. Fix: save again';
    super(
      `${failure.functionName}: saving to '${failure.location}' failed while ${failure.operation} (${describeCause(failure.cause)}); ${outcome}.`,
      { cause: failure.cause },
    );
    this.name = 'CheckpointSaveError';
    this.functionName = failure.functionName;
    this.location = failure.location;
    this.operation = failure.operation;
    this.committed = failure.committed;
    const code = (failure.cause as { code?: unknown; name?: unknown } | null)?.code;
    const name = (failure.cause as { name?: unknown } | null)?.name;
    this.code =
      typeof code === 'string'
        ? code
        : typeof name === 'string' && name !== 'Error'
          ? name
          : undefined;
  }

  /** Whether `error` is a {@link CheckpointSaveError} from any copy of this package. */
  static override isInstance(error: unknown): error is CheckpointSaveError {
    return hasMarker(error, marker);
  }
}
