// The benchmark's worker: one run per worker (the page starts a fresh one per row), so that each
// backend, and each wasm thread count, starts from a clean TensorFlow.js.
import type { BenchWorkerReply, BenchWorkerRequest } from './bench-protocol';
import { runBenchTask } from './bench-task';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<BenchWorkerRequest>) => void) | null;
  postMessage(message: BenchWorkerReply): void;
};

scope.onmessage = (event) => {
  runBenchTask(event.data.request)
    .then((result) => scope.postMessage({ type: 'result', result }))
    .catch((error: unknown) =>
      scope.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      }),
    );
};
