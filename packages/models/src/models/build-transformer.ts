import { checkOptionKeys, createRng, InvalidArgumentError, tidyResult } from '@lm-objectives/core';
import { createLinearRegistry } from '../weights/named-linear';
import { countParameters } from '../weights/parameter-counts';
import { readWeights, writeWeights } from '../weights/weight-map';
import { createWeightStore } from '../weights/weight-store';
import { checkForwardInputs } from './check-forward-inputs';
import { runTransformer, type TransformerRuntime } from './run-transformer';
import type { ResolvedTransformerConfig } from './transformer-config';
import type {
  CommonInputs,
  ForwardOptions,
  TransformerModel,
  TransformerOutputs,
} from './transformer-model';
import type { TransformerSpec } from './transformer-spec';
import { transformerWeightLayout } from './transformer-weight-layout';

const FORWARD_OPTION_KEYS = ['training', 'random', 'returnKeyValues'] as const;

/**
 * Builds a Transformer of the given kind: creates the variables of
 * {@link transformerWeightLayout} in order from `createRng(seed)` (truncated-normal kernels and
 * tables, zero biases, unit scales), registers the named linears, and assembles the model object
 * around {@link runTransformer}, which runs each forward pass in one `tf.tidy`.
 *
 * @internal
 */
export function buildTransformer<
  Inputs extends CommonInputs,
  Outputs extends TransformerOutputs,
  Config extends ResolvedTransformerConfig,
>(spec: TransformerSpec<Config>): TransformerModel<Inputs, Outputs, Config> {
  const { config, kind, applyName } = spec;
  const modelName = applyName.split('.')[0]!;
  const random = createRng(config.seed);
  const store = createWeightStore(
    kind.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()),
    random.fork(),
    config.initializerRange,
  );
  const dropoutStream = random.fork();
  const layout = transformerWeightLayout(spec);
  const zeros = spec.initialization === 'zeros';
  for (const { name, shape, initializer } of layout.weights) {
    store.create(name, shape, zeros && initializer === 'truncated-normal' ? 'zeros' : initializer);
  }
  const weights = store.weights;
  const registry = createLinearRegistry(`${modelName}.wrapLinear`);
  for (const linear of layout.linears) {
    registry.add(
      linear.name,
      weights[linear.kernel]!,
      linear.bias === undefined ? undefined : weights[linear.bias],
    );
  }
  const runtime: TransformerRuntime<Config> = {
    spec,
    weights,
    linear: (name, x) => registry.apply(name, x),
    dropoutStream,
  };
  let disposed = false;
  const apply = (inputs: Inputs, options: ForwardOptions = {}): Outputs => {
    if (disposed) {
      throw new InvalidArgumentError({
        functionName: applyName,
        argumentName: 'this',
        expected: 'a model whose weights are alive',
        received: 'a disposed model',
        fix: 'create a new model; dispose() frees its variables for good.',
      });
    }
    checkOptionKeys(applyName, options, FORWARD_OPTION_KEYS);
    const sizes = checkForwardInputs(spec, inputs);
    return tidyResult(() => runTransformer(runtime, inputs, sizes, options)) as unknown as Outputs;
  };
  const tokenEmbeddings = weights['embeddings.token']!;
  return {
    kind,
    config,
    weights,
    variables: Object.values(weights),
    embeddingVariables: Object.entries(weights)
      .filter(([name]) => /^embeddings\.[A-Za-z]+$/.test(name))
      .map(([, variable]) => variable),
    tokenEmbeddings,
    linears: registry.linears,
    apply,
    wrapLinear: (name, wrapper) => registry.wrap(name, wrapper),
    getWeights: () => readWeights(weights),
    setWeights: (map) => writeWeights(`${modelName}.setWeights`, weights, map),
    parameterCounts: () => countParameters(weights, config.numLayers),
    dispose() {
      disposed = true;
      store.dispose();
    },
  };
}
