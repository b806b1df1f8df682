import type { ReporterStream } from '@lm-objectives/trainer/node';
import * as tf from '@tensorflow/tfjs-core';
import { loadCorpus, loadTokenizer } from '../corpus/node';
import { checkpointUrl, readCheckpointFile } from './checkpoint-file';
import {
  formatChecks,
  formatFineTuningTable,
  formatNotes,
  formatPretrainingTable,
  formatSamples,
  formatSeconds,
} from './format-results';
import { CliUsageError, parseArguments, USAGE } from './parse-arguments';
import type { DemoRunResult } from './phase-result';
import { runDemo } from './run-demo';
import { writeReport } from './write-report';

/** Where the CLI writes: the table to `out`, progress to `progress`, mistakes to `error`. */
export interface CliStreams {
  readonly out: (text: string) => void;
  readonly error: (text: string) => void;
  readonly progress: ReporterStream;
}

/** What {@link runCli} returns: the exit code, and the run when one happened. */
export interface CliOutcome {
  readonly exitCode: number;
  readonly result?: DemoRunResult;
  readonly reportPath?: string;
}

/**
 * The whole CLI behind `pnpm demo`: parses the arguments, selects the backend, runs the phases,
 * prints the final table, samples and checks, writes the HTML report. Exit code 0 when every check
 * passed, 1 when one failed, 2 for a usage mistake.
 */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<CliOutcome> {
  let options: ReturnType<typeof parseArguments>;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (error instanceof CliUsageError) {
      streams.error(`${error.message}\n\n${USAGE}\n`);
      return { exitCode: 2 };
    }
    throw error;
  }
  if (options.help) {
    streams.out(`${USAGE}\n`);
    return { exitCode: 0 };
  }
  tf.env().set('PROD', true);
  if (!(await tf.setBackend(options.backend))) {
    streams.error(
      `The ${options.backend} backend could not be initialised. Fix: use --backend cpu, or reinstall @tensorflow/tfjs-backend-wasm.\n`,
    );
    return { exitCode: 1 };
  }
  const corpus = loadCorpus();
  const tokenizer = loadTokenizer();
  streams.out(
    `lm-objectives demo · backend ${tf.getBackend()} · seed ${options.seed} · ${corpus.documents.length} State of the Union addresses, vocabulary ${tokenizer.vocabularySize} (ln V = ${Math.log(tokenizer.vocabularySize).toFixed(3)})\n`,
  );
  const result = await runDemo({
    corpus,
    tokenizer,
    objective: options.objective,
    seed: options.seed,
    steps: options.steps,
    fromScratch: options.fromScratch,
    explain: options.explain,
    checkpoint: (task) => readCheckpointFile(checkpointUrl(task)),
    progress: streams.progress,
    log: (line) => streams.out(`${line}\n`),
  });
  const reportPath = writeReport(result, options.out);
  const pretraining = formatPretrainingTable(result);
  const fineTuning = formatFineTuningTable(result);
  const notes = formatNotes(result);
  streams.out(
    [
      '',
      pretraining
        ? `Pre-training, measured on held-out text (the closing sentences of every address):\n${pretraining}\n${notes ? `${notes}\n` : ''}`
        : '',
      fineTuning
        ? `Fine-tuning the frozen causal model: the prompt's nouns in reverse order, measured on held-out prompts:\n${fineTuning}\n`
        : '',
      'Sample predictions:',
      formatSamples(result),
      '',
      'Checks:',
      formatChecks(result),
      '',
      `Total ${formatSeconds(result.wallMs)} on ${result.backend}. Report: ${reportPath}`,
      result.passed ? 'All checks passed.' : 'Some checks FAILED (see above).',
      '',
    ].join('\n'),
  );
  return { exitCode: result.passed ? 0 : 1, result, reportPath };
}
