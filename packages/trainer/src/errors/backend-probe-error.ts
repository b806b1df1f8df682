import { LmObjectivesError } from '@lm-objectives/core';
import { hasMarker } from '../internal/has-marker';

const marker = 'lm-objectives.error.backend-probe';
const symbol = Symbol.for(marker);

/** What a {@link BackendProbeError} found missing or broken. */
export interface BackendProblem {
  /** The backend that was probed, e.g. `'wasm'`. */
  readonly backend: string;
  /** The objective that was probed. */
  readonly objectiveId: string;
  /** Kernels the forward or backward pass needs that the backend does not register. */
  readonly missingKernels: readonly string[];
  /** Ops whose gradient is not registered (e.g. tfjs-core without `register_all_gradients`). */
  readonly missingGradients: readonly string[];
  /** What came out non-finite: `'loss'` or `'gradient of <variable name>'`. */
  readonly nonFinite: readonly string[];
  /** How to fix it. */
  readonly fix: string;
  /** The error the probe caught, if any. */
  readonly cause?: unknown;
}

/**
 * The current backend cannot train the chosen objective and model: a kernel or a gradient is
 * missing, or a tiny forward and backward pass already gives a non-finite loss or gradient. Thrown
 * by the probe before training, instead of a crash hours in or a silent `NaN`.
 */
export class BackendProbeError extends LmObjectivesError {
  protected readonly [symbol] = true;
  readonly backend: string;
  readonly objectiveId: string;
  readonly missingKernels: readonly string[];
  readonly missingGradients: readonly string[];
  readonly nonFinite: readonly string[];
  readonly fix: string;

  constructor(problem: BackendProblem) {
    const findings: string[] = [];
    if (problem.missingKernels.length > 0) {
      findings.push(
        `the kernel${problem.missingKernels.length === 1 ? '' : 's'} ${quoteList(problem.missingKernels)} ${problem.missingKernels.length === 1 ? 'is' : 'are'} not registered for this backend`,
      );
    }
    if (problem.missingGradients.length > 0) {
      findings.push(`no gradient is registered for ${quoteList(problem.missingGradients)}`);
    }
    if (problem.nonFinite.length > 0) {
      findings.push(`a tiny step gave non-finite values in ${problem.nonFinite.join(', ')}`);
    }
    if (findings.length === 0 && problem.cause !== undefined) {
      findings.push(`a tiny forward and backward pass failed: ${describeCause(problem.cause)}`);
    }
    super(
      `probeBackend: the '${problem.backend}' backend cannot train objective '${problem.objectiveId}' with this model: ${findings.join('; ')}. Fix: ${problem.fix}`,
      problem.cause === undefined ? undefined : { cause: problem.cause },
    );
    this.name = 'BackendProbeError';
    this.backend = problem.backend;
    this.objectiveId = problem.objectiveId;
    this.missingKernels = problem.missingKernels;
    this.missingGradients = problem.missingGradients;
    this.nonFinite = problem.nonFinite;
    this.fix = problem.fix;
  }

  /** Whether `error` is a {@link BackendProbeError} from any copy of this package. */
  static override isInstance(error: unknown): error is BackendProbeError {
    return hasMarker(error, marker);
  }
}

function quoteList(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
