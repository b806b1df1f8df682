// Which TensorFlow.js backend the demo trains on: the fastest one that works here. Pure: the
// worker gathers the facts (`describe-backends.ts`), this file decides and explains.
import type { BackendName } from './protocol';

/** The preference order, fastest first where each runs on real hardware. */
export const BACKEND_PREFERENCE: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

/** What the worker found out about one backend in this browser. */
export interface BackendFacts {
  readonly name: BackendName;
  /** The browser offers it (an adapter, a context, …) and TensorFlow.js initialised it. */
  readonly available: boolean;
  /** Why it is unavailable, or what runs it (the GPU adapter, the wasm binary). */
  readonly detail: string;
  /**
   * WebGPU or WebGL on a software adapter (SwiftShader, llvmpipe): the GPU is emulated on the
   * CPU, slower than wasm.
   */
  readonly software: boolean;
  /** wasm: the threads its pool runs (1 without cross-origin isolation). */
  readonly threads?: number;
  /** The backend probe's verdict: `undefined` when it was not probed (not needed for the choice). */
  readonly probe?: { readonly passed: boolean; readonly message: string };
}

/** The choice shown to the user: the picked backend, why, and every option with its facts. */
export interface BackendChoice {
  readonly picked: BackendName;
  /** One or two sentences: why this one, and why not the faster ones before it. */
  readonly reason: string;
  readonly options: readonly BackendFacts[];
}

/** A backend's name for people, with its threads for wasm. */
export function backendLabel(facts: Pick<BackendFacts, 'name' | 'threads'>): string {
  switch (facts.name) {
    case 'webgpu':
      return 'WebGPU';
    case 'webgl':
      return 'WebGL';
    case 'cpu':
      return 'cpu (plain JavaScript)';
    default:
      return facts.threads === undefined
        ? 'wasm'
        : `wasm, ${facts.threads} thread${facts.threads === 1 ? '' : 's'}`;
  }
}

/** Why a candidate before the pick was passed over. */
function whyNot(facts: BackendFacts): string {
  const label = backendLabel(facts);
  if (!facts.available) return `${label} is not available (${facts.detail})`;
  if (facts.probe && !facts.probe.passed)
    return `${label} failed the probe (${facts.probe.message})`;
  return `${label} runs on ${facts.detail}, a software adapter, slower than wasm`;
}

/**
 * Picks the first backend of {@link BACKEND_PREFERENCE} that is available, was not refused by
 * the probe, and is not a software GPU (WebGPU or WebGL on SwiftShader is emulated on the CPU and
 * slower than wasm, so it moves after wasm; it stays selectable). cpu is the last resort: it is
 * always picked when nothing else works.
 */
export function chooseBackend(facts: readonly BackendFacts[]): BackendChoice {
  const byName = new Map(facts.map((entry) => [entry.name, entry]));
  const ordered = BACKEND_PREFERENCE.map((name) => byName.get(name)).filter(
    (entry): entry is BackendFacts => entry !== undefined,
  );
  const usable = (entry: BackendFacts) => entry.available && entry.probe?.passed !== false;
  const hardware = ordered.filter((entry) => usable(entry) && !entry.software);
  const software = ordered.filter((entry) => usable(entry) && entry.software);
  const picked = hardware[0] ?? software[0];
  if (!picked) {
    return {
      picked: 'cpu',
      reason: 'No backend passed its checks; cpu always works (slowly).',
      options: facts,
    };
  }
  const skipped = ordered.slice(0, ordered.indexOf(picked)).map(whyNot);
  const label = backendLabel(picked);
  const first = `Picked ${label}${picked.name === 'wasm' ? '' : ` (${picked.detail})`}`;
  const reason =
    skipped.length === 0
      ? `${first}: the fastest backend here.`
      : `${first}: ${skipped.join('; ')}.`;
  return { picked: picked.name, reason, options: facts };
}

/**
 * The warning to show while `name` is selected, if any: a GPU backend on a software adapter is
 * slower than wasm on the same machine.
 */
export function softwareAdapterWarning(
  choice: BackendChoice,
  name: BackendName,
): string | undefined {
  const facts = choice.options.find((entry) => entry.name === name);
  if (!facts?.software) return undefined;
  return `${backendLabel(facts)} runs on ${facts.detail}, a software adapter: the GPU is emulated on the CPU, so training is slower than on wasm. Useful to check correctness, not for speed.`;
}
