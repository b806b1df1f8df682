import { LmObjectivesError } from '@lm-objectives/core';
import { hasMarker } from '../internal/has-marker';

const marker = 'lm-objectives.error.corrupt-checkpoint';
const symbol = Symbol.for(marker);

/** What a {@link CorruptCheckpointError} found. */
export interface CheckpointCorruption {
  /** The load function that found it, e.g. `'loadCheckpointFromDirectory'`. */
  readonly functionName: string;
  /** The damaged piece: a file path, or an IndexedDB record such as `"manifests/'my-run'"`. */
  readonly location: string;
  /** What is wrong with it, e.g. `'it is missing'` or `'its checksum does not match its content'`. */
  readonly problem: string;
  /** How to get a loadable checkpoint back. Default: restore the piece or save again. */
  readonly fix?: string;
  /** The underlying error (a file-system error, a JSON syntax error, a field check). */
  readonly cause?: unknown;
}

const DEFAULT_FIX =
  'restore it from a backup or resume from another checkpoint. Saves never leave a damaged checkpoint behind (an interrupted save keeps the previous one), so something else changed or removed this piece.';

/**
 * A stored checkpoint cannot be loaded because one of its pieces is damaged: a missing or
 * truncated file or record, a checksum that does not match, a manifest that is not valid JSON or
 * holds a value outside its domain. The message names the piece and the fix; nothing was loaded.
 */
export class CorruptCheckpointError extends LmObjectivesError {
  protected readonly [symbol] = true;
  /** The load function that found the damage. */
  readonly functionName: string;
  /** The damaged file or record. */
  readonly location: string;
  /** What is wrong with it. */
  readonly problem: string;
  /** How to get a loadable checkpoint back. */
  readonly fix: string;

  /** @param corruption the damaged piece, the problem and the fix. */
  constructor(corruption: CheckpointCorruption) {
    const fix = corruption.fix ?? DEFAULT_FIX;
    super(
      `${corruption.functionName}: the checkpoint is damaged: ${corruption.location}: ${corruption.problem}. Nothing was loaded. Fix: ${fix}`,
      corruption.cause === undefined ? undefined : { cause: corruption.cause },
    );
    this.name = 'CorruptCheckpointError';
    this.functionName = corruption.functionName;
    this.location = corruption.location;
    this.problem = corruption.problem;
    this.fix = fix;
  }

  /** Whether `error` is a {@link CorruptCheckpointError} from any copy of this package. */
  static override isInstance(error: unknown): error is CorruptCheckpointError {
    return hasMarker(error, marker);
  }
}
