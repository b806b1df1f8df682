/**
 * `pnpm demo`: trains a tiny BERT, GLM and causal model on State of the Union addresses, then
 * LoRA and prefix tuning of the causal model, on TensorFlow.js's wasm backend, and writes an HTML
 * report. See `runCli` for the flow and `--help` for the flags.
 */
// The umbrella package registers every op's gradient (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { runCli } from './run-cli';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
  progress: process.stderr,
})
  .then(({ exitCode }) => {
    process.exitCode = exitCode;
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
