// The test page's API, called by the Node test runner through `page.evaluate`. The page never
// decides pass or fail: it reports numbers (outputs per backend, thread counts, memory), and the
// runner compares them.
import type { AgreementCase } from './agreement-case';
import { CORE_OP_CASES } from './cases/core-op-cases';
import { MODEL_AND_UPDATE_CASES } from './cases/model-cases';
import { OBJECTIVE_CASES } from './cases/objective-cases';
import { TRAINER_CASES } from './cases/trainer-cases';
import { type AdapterReport, describeAdapter } from './describe-adapter';
import { type MemoryRunReport, memoryRun } from './memory-run';
import type { BackendName } from './register-backends';
import { type CaseResult, runCase } from './run-case';
import { type ChunkSizeTimes, type ChunkSizeTiming, timeChunkSizes } from './time-chunk-sizes';

/** The case groups, by the name the runner uses. */
const GROUPS: Readonly<Record<string, readonly AgreementCase[]>> = {
  'core-ops': CORE_OP_CASES,
  'models-and-updates': [...MODEL_AND_UPDATE_CASES, ...TRAINER_CASES],
  objectives: OBJECTIVE_CASES,
};

/** What the page offers the runner. */
export interface BackendTestsApi {
  /** The WebGPU adapter and tfjs-backend-webgpu on it. */
  describeAdapter(): Promise<AdapterReport>;
  /** The cases of a group, in order: their names and any tolerance of their own. */
  cases(group: string): { name: string; tolerance?: number }[];
  /** Runs case `index` of `group` on `backend`. */
  runCase(group: string, index: number, backend: BackendName): Promise<CaseResult>;
  /** Trains for `steps` steps on `backend`, reading `tf.memory()` after each. */
  memoryRun(backend: BackendName, steps: number, fixedLength: boolean): Promise<MemoryRunReport>;
  /** Times the fused cross-entropy at several chunk sizes (the chunk-size benchmark). */
  timeChunkSizes(backend: BackendName, timing: ChunkSizeTiming): Promise<ChunkSizeTimes>;
}

function groupCases(group: string): readonly AgreementCase[] {
  const cases = GROUPS[group];
  if (!cases)
    throw new Error(`no case group '${group}' (known: ${Object.keys(GROUPS).join(', ')})`);
  return cases;
}

const api: BackendTestsApi = {
  describeAdapter,
  cases: (group) =>
    groupCases(group).map(({ name, tolerance }) => ({
      name,
      ...(tolerance === undefined ? {} : { tolerance }),
    })),
  runCase: (group, index, backend) => runCase(groupCases(group)[index]!, backend),
  memoryRun,
  timeChunkSizes,
};

declare global {
  interface Window {
    backendTests?: BackendTestsApi;
  }
}
window.backendTests = api;
