import { checkOptionKeys, type LossObjectiveV1, type ObjectiveBatchV1 } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { BackendProbeError } from '../errors/backend-probe-error';
import { collectVariables } from '../internal/collect-variables';
import { releaseAbandonedTape } from '../internal/release-abandoned-tape';
import type { TrainableModel } from '../model/trainable-model';
import { createAdamW } from '../optimizer/adamw';
import { clipByGlobalNorm } from '../optimizer/clip-by-global-norm';
import { accumulateGradients } from '../step/accumulate-gradients';
import { windowCounts } from '../step/window-counts';
import { emptyWindowError, scoresNothing } from '../trainer/check-window';

/** Inputs of {@link probeBackend}. */
export interface ProbeBackendInput<Batch extends ObjectiveBatchV1, Outputs> {
  readonly objective: LossObjectiveV1<unknown, Batch, Outputs>;
  readonly model: TrainableModel<Outputs, Batch>;
  /** A real batch (a small one keeps the probe fast). */
  readonly batch: Batch;
  /** The variables to differentiate. Default: the model's and the objective's trainable ones. */
  readonly variables?: readonly tf.Variable[];
  /**
   * Kernels to check by name on top of those the tiny step runs (e.g. kernels only an evaluation
   * path or a generation loop uses).
   */
  readonly requiredKernels?: readonly string[];
}

/** What a successful probe found. */
export interface BackendProbeReport {
  /** `tf.getBackend()`. */
  readonly backend: string;
  readonly objectiveId: string;
  /** Every kernel the forward pass, backward pass, clipping and AdamW update ran, sorted. */
  readonly kernels: readonly string[];
  /** The probe batch's loss. */
  readonly loss: number;
  /** Its global gradient norm. */
  readonly gradientNorm: number;
  /** Names of trained variables that received no gradient from this batch (frozen by mistake, or unused). */
  readonly variablesWithoutGradient: readonly string[];
}

const MISSING_KERNEL = /Kernel '([^']+)' not registered for backend/;
const MISSING_KERNEL_ALT = /'([^']+)' not yet implemented or not found in the registry/;
const MISSING_GRADIENT = /gradient function not found for (\w+)/;

/** Kernel-specific advice, for the kernels users of language models meet most. */
const KERNEL_ADVICE: Readonly<Record<string, string>> = {
  UnsortedSegmentSum:
    "tf.gather's gradient needs it (the wasm backend lacks it): look embeddings up with embeddingLookup from @lm-objectives/core",
  LogSoftmax:
    'use crossEntropy/tokenCrossEntropy from @lm-objectives/core (they never call tf.logSoftmax)',
  Gelu: 'compose GELU from tanh and multiplications, or choose a backend that has it',
};

function adviceFor(
  kernels: readonly string[],
  gradients: readonly string[],
  backend: string,
): string {
  const parts: string[] = [];
  for (const kernel of kernels) {
    parts.push(
      KERNEL_ADVICE[kernel] ??
        `avoid the op that runs '${kernel}', or register a '${kernel}' kernel for '${backend}'`,
    );
  }
  if (gradients.length > 0) {
    parts.push(
      "register the gradients: import '@tensorflow/tfjs-core/dist/register_all_gradients' once (or depend on @tensorflow/tfjs)",
    );
  }
  parts.push("or train on a backend that has everything (tf.setBackend('cpu') always does)");
  return `${parts.join('; ')}.`;
}

/** What the probe's tiny step found. */
interface ProbeOutcome {
  /**
   * float32 `[2 + G]`: the loss, the gradient norm and, per received gradient, 1 when all its
   * entries are finite. Read back asynchronously once the profile is done (WebGPU cannot read
   * synchronously); `undefined` when the step threw.
   */
  checks?: tf.Tensor1D;
  /** Names of the variables whose gradient is in `checks`, in order. */
  checkedNames: string[];
  withoutGradient: string[];
  error?: unknown;
}

/**
 * The probe's tiny step: the forward and backward pass on `batch`, clipping at 1 and an AdamW
 * update at $\eta = 10^{-3}$ on scratch copies of the variables (the real ones never change);
 * gathers the loss, the norm and one finiteness flag per gradient into one tensor (read later,
 * asynchronously), lists variables without a gradient, and catches any error (with the tape it
 * abandoned) instead of throwing.
 */
function runProbeStep<Batch extends ObjectiveBatchV1, Outputs>(
  objective: LossObjectiveV1<unknown, Batch, Outputs>,
  model: TrainableModel<Outputs, Batch>,
  batch: Batch,
  variables: readonly tf.Variable[],
): ProbeOutcome {
  const outcome: ProbeOutcome = { checkedNames: [], withoutGradient: [] };
  let computed: ReturnType<typeof accumulateGradients> | undefined;
  const scratch: tf.Variable[] = [];
  try {
    computed = accumulateGradients({ objective, model, window: [batch], variables });
    scratch.push(...variables.map((variable) => tf.variable(variable, true)));
    const { gradients, norm } = clipByGlobalNorm(computed.gradients, 1);
    const optimizer = createAdamW(scratch);
    try {
      optimizer.applyGradients(gradients, 1e-3);
      const finiteFlags: tf.Tensor[] = [];
      computed.gradients.forEach((gradient, index) => {
        const name = variables[index]!.name;
        if (gradient == null) {
          outcome.withoutGradient.push(name);
          return;
        }
        outcome.checkedNames.push(name);
        finiteFlags.push(tf.tidy(() => tf.cast(tf.all(tf.isFinite(gradient)), 'float32')));
      });
      const loss = computed.loss;
      outcome.checks = tf.tidy(() =>
        tf.concat([tf.stack([loss, norm]), ...finiteFlags.map((flag) => tf.reshape(flag, [1]))]),
      ) as tf.Tensor1D;
      tf.dispose(finiteFlags);
    } finally {
      optimizer.dispose();
      tf.dispose(gradients.filter((gradient): gradient is tf.Tensor => gradient != null));
      norm.dispose();
    }
  } catch (error) {
    releaseAbandonedTape();
    outcome.error = error;
  } finally {
    tf.dispose(scratch);
    computed?.dispose();
  }
  return outcome;
}

/** The loss, the norm and the non-finite values in a probe's `checks`, read asynchronously. */
async function readChecks(
  outcome: ProbeOutcome,
): Promise<{ loss: number; gradientNorm: number; nonFinite: string[] }> {
  const nonFinite: string[] = [];
  if (!outcome.checks) return { loss: Number.NaN, gradientNorm: Number.NaN, nonFinite };
  const values = await outcome.checks.data();
  outcome.checks.dispose();
  const loss = values[0]!;
  if (!Number.isFinite(loss)) nonFinite.push('loss');
  outcome.checkedNames.forEach((name, index) => {
    if (values[2 + index] !== 1) nonFinite.push(`gradient of '${name}'`);
  });
  return { loss, gradientNorm: values[1]!, nonFinite };
}

/**
 * Checks, before training, that the current backend can run the objective and model: a tiny
 * forward and backward pass on `batch`, global-norm clipping and an AdamW update on scratch copies
 * of the weights (the real weights are never touched), under `tf.profile` to list the kernels run.
 * Throws a {@link BackendProbeError} naming the missing kernels or gradients, or the non-finite
 * loss or gradients, instead of letting training crash mid-run or silently produce `NaN`.
 */
export async function probeBackend<Batch extends ObjectiveBatchV1, Outputs>(
  input: ProbeBackendInput<Batch, Outputs>,
): Promise<BackendProbeReport> {
  checkOptionKeys(
    'probeBackend',
    input,
    ['objective', 'model', 'batch', 'variables', 'requiredKernels'],
    'input',
  );
  const { objective, model, batch } = input;
  // A batch that scores nothing has a 0/0 loss on every backend: say so instead of blaming one.
  const counts = windowCounts([batch], objective.partNames, 'probeBackend');
  if (scoresNothing(counts)) throw emptyWindowError('probeBackend', [batch], counts, 'batch');
  await tf.ready();
  const backend = tf.getBackend();
  const variables =
    input.variables ??
    collectVariables(model.variables, objective.trainableWeights(), 'probeBackend').map(
      (entry) => entry.variable,
    );
  const missingKernels = new Set<string>();
  const missingGradients = new Set<string>();
  for (const kernel of input.requiredKernels ?? []) {
    if (tf.getKernel(kernel, backend) == null) missingKernels.add(kernel);
  }

  // Errors are caught inside the profiled function, so that tf.profile always finishes (a query
  // that throws would leave tfjs profiling every later kernel). While profiling, tfjs reads every
  // kernel's output back to look for NaN (`CHECK_COMPUTATION_FOR_ERRORS`): on WebGPU that is one
  // GPU read per kernel (10× slower), and reads of outputs freed meanwhile fail unhandled. The
  // probe checks the loss and gradients itself, so the flag is off during the profile.
  // tf.profile is typed for tensor results; this one returns an outcome object.
  const checkedComputation = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const profile = await tf
    .profile((() =>
      runProbeStep(objective, model, batch, variables)) as unknown as () => tf.TensorContainer)
    .finally(() => tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', checkedComputation));
  const outcome = profile.result as unknown as ProbeOutcome;
  const { loss, gradientNorm, nonFinite } = await readChecks(outcome);
  if (outcome.error !== undefined) {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    const kernel = MISSING_KERNEL.exec(message)?.[1] ?? MISSING_KERNEL_ALT.exec(message)?.[1];
    const gradient = MISSING_GRADIENT.exec(message)?.[1];
    if (kernel) missingKernels.add(kernel);
    if (gradient) missingGradients.add(gradient);
    if (!kernel && !gradient) {
      throw new BackendProbeError({
        backend,
        objectiveId: objective.objectiveId,
        missingKernels: [...missingKernels],
        missingGradients: [],
        nonFinite: [],
        fix: 'the error above comes from the model or the objective, not from the backend: fix it and probe again.',
        cause: outcome.error,
      });
    }
  }
  if (missingKernels.size > 0 || missingGradients.size > 0 || nonFinite.length > 0) {
    const kernels = [...missingKernels];
    const gradients = [...missingGradients];
    throw new BackendProbeError({
      backend,
      objectiveId: objective.objectiveId,
      missingKernels: kernels,
      missingGradients: gradients,
      nonFinite,
      fix:
        kernels.length + gradients.length > 0
          ? adviceFor(kernels, gradients, backend)
          : 'check the initial weights and the batch (labels in range, finite weights); compare with the cpu backend to tell a backend bug from a model bug.',
      ...(outcome.error === undefined ? {} : { cause: outcome.error }),
    });
  }
  return {
    backend,
    objectiveId: objective.objectiveId,
    kernels: [...new Set(profile.kernels.map((kernel) => kernel.name))].sort(),
    loss,
    gradientNorm,
    variablesWithoutGradient: outcome.withoutGradient,
  };
}
