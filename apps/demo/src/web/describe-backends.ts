/// <reference types="@webgpu/types" />
// The facts `chooseBackend` decides on, gathered in the training worker: which backends this
// browser offers, on what adapter, with how many threads; then the backend probe of the pick.

import { createRng } from '@lm-objectives/core';
import { type ConditionalExample, createConditionalLmObjective } from '@lm-objectives/lora';
import { createCausalDecoder } from '@lm-objectives/models';
import { probeBackend } from '@lm-objectives/trainer';
import { decoderForward } from '../tasks/decoder-forward';
import { type BackendChoice, type BackendFacts, chooseBackend } from './backend-choice';
import type { BackendName } from './protocol';
import { wasmThreadsForThisPage } from './wasm-threads';

/** Adapter names of GPUs emulated on the CPU. */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

async function describeWebGpu(): Promise<BackendFacts> {
  const unavailable = (detail: string): BackendFacts => ({
    name: 'webgpu',
    available: false,
    detail,
    software: false,
  });
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return unavailable('this browser offers no WebGPU here (navigator.gpu is missing)');
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return unavailable('no WebGPU adapter');
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || info.description;
  return {
    name: 'webgpu',
    available: true,
    detail: name || 'an unnamed adapter',
    software:
      info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(`${name} ${info.description}`),
  };
}

function describeWebGl(): BackendFacts {
  const unavailable = (detail: string): BackendFacts => ({
    name: 'webgl',
    available: false,
    detail,
    software: false,
  });
  if (typeof OffscreenCanvas === 'undefined') return unavailable('no OffscreenCanvas in workers');
  let context: WebGLRenderingContext | WebGL2RenderingContext | null = null;
  try {
    const canvas = new OffscreenCanvas(1, 1);
    context = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  } catch {
    context = null;
  }
  if (!context) return unavailable('no WebGL context in workers');
  const debug = context.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(
    context.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : context.RENDERER) ?? '',
  );
  return {
    name: 'webgl',
    available: true,
    detail: renderer || 'an unnamed renderer',
    software: SOFTWARE_ADAPTER.test(renderer),
  };
}

function describeWasm(): BackendFacts {
  const threads = wasmThreadsForThisPage();
  return {
    name: 'wasm',
    available: typeof WebAssembly === 'object',
    detail:
      threads > 1
        ? `the threaded SIMD binary, ${threads} threads (one per logical core)`
        : globalThis.crossOriginIsolated
          ? 'one thread (one logical core)'
          : 'one thread: the page is not cross-origin isolated, so no SharedArrayBuffer',
    software: false,
    threads,
  };
}

/** What every backend can do here, without initialising any of them. */
export async function describeBackends(): Promise<BackendFacts[]> {
  return [
    await describeWebGpu(),
    describeWasm(),
    describeWebGl(),
    { name: 'cpu', available: true, detail: 'plain JavaScript', software: false },
  ];
}

/** Two prompt → completion pairs for the probe's tiny model. */
const PROBE_EXAMPLES: ConditionalExample[] = [
  { prompt: [5, 6, 7], completion: [8, 9] },
  { prompt: [10, 11], completion: [12, 13, 14] },
];

/**
 * The trainer's backend probe on a tiny causal decoder with the conditional LM objective (the
 * kernels every demo task runs: embeddings, attention, layer norm, GELU, the fused
 * cross-entropy, AdamW), on the backend already made active.
 */
async function probeActiveBackend(): Promise<{ passed: boolean; message: string }> {
  const model = createCausalDecoder({
    vocabularySize: 16,
    hiddenSize: 8,
    numLayers: 1,
    numHeads: 2,
    maxPositions: 8,
    seed: 1,
  });
  const objective = createConditionalLmObjective({
    eosTokenId: 1,
    padTokenId: 0,
    vocabularySize: 16,
  });
  try {
    const batch = objective.createBatch(PROBE_EXAMPLES, { random: createRng(1) });
    const report = await probeBackend({
      objective,
      batch,
      model: { variables: model.variables, ...decoderForward(model) },
    });
    return { passed: true, message: `${report.kernels.length} kernels ran` };
  } catch (error) {
    return { passed: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    objective.dispose();
    model.dispose();
  }
}

/**
 * The choice: describes the backends, picks one, and probes it (made active with `activate`);
 * a pick that fails is marked and the next one is tried. The picked backend is left active.
 */
export async function chooseAndProbeBackend(
  activate: (name: BackendName) => Promise<void>,
): Promise<BackendChoice> {
  let facts = await describeBackends();
  for (;;) {
    const choice = chooseBackend(facts);
    const picked = facts.find((entry) => entry.name === choice.picked);
    if (!picked || picked.probe || picked.name === 'cpu') {
      await activate(choice.picked);
      return choice;
    }
    let probe: { passed: boolean; message: string };
    try {
      await activate(picked.name);
      probe = await probeActiveBackend();
    } catch (error) {
      probe = { passed: false, message: error instanceof Error ? error.message : String(error) };
    }
    facts = facts.map((entry) => (entry === picked ? { ...entry, probe } : entry));
    if (probe.passed) return chooseBackend(facts);
  }
}
