/** The objectives `--objective` accepts; `all` runs every phase. */
export const OBJECTIVE_CHOICES = ['all', 'bert', 'glm', 'causal', 'lora', 'prefix'] as const;
/** One of {@link OBJECTIVE_CHOICES}. */
export type ObjectiveChoice = (typeof OBJECTIVE_CHOICES)[number];
/** The backends `--backend` accepts. */
export const BACKEND_CHOICES = ['wasm', 'cpu'] as const;
/** One of {@link BACKEND_CHOICES}. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The CLI's settings after parsing. */
export interface CliOptions {
  readonly objective: ObjectiveChoice;
  /** Steps of every phase; `undefined` keeps each phase's default. */
  readonly steps: number | undefined;
  readonly seed: number;
  readonly backend: BackendChoice;
  /** BERT and GLM from random weights, LoRA and prefix tuning on this run's causal model, instead of the shipped checkpoints. */
  readonly fromScratch: boolean;
  /** Print each phase's first training row as its objective explains it (`explainBatch`) before training. */
  readonly explain: boolean;
  /** Where the HTML report goes (relative paths resolve against the working directory). */
  readonly out: string;
  readonly help: boolean;
}

/** The report path when `--out` is not given (relative to the working directory of `pnpm --filter`). */
export const DEFAULT_REPORT_PATH = 'out/report.html';

/** The `--help` text. */
export const USAGE = `Usage: pnpm demo [-- options]     (or: pnpm --filter @lm-objectives/demo demo -- [options])

Trains tiny language models on State of the Union addresses (1989-1998) with the lm-objectives
packages: BERT (masked LM + NSP) and GLM (blank infilling) further from their shipped
checkpoints, a causal LM from scratch, then fine-tunes the shipped pre-trained causal model with
LoRA and with prefix tuning on a new task (the words of the prompt in reverse order). Every model
is measured on held-out text or prompts against baselines (ln V, the unigram loss, the
most-frequent-token rate) and checked against the demo's goals. Prints progress, the final
tables and sample predictions, and writes an HTML report with the loss curves.

Options:
  --objective <name>  all | bert | glm | causal | lora | prefix   (default all)
  --from-scratch      BERT and GLM from random weights instead of their checkpoints; LoRA and
                      prefix tuning on the causal model pre-trained in this run (lora and
                      prefix alone then pre-train it first)
  --explain           before each phase, print its first row as the objective explains it
                      (explainBatch: token, label, action, positions, attention per position)
  --steps <n>         optimizer steps of every phase (default: each phase's own, see README)
  --seed <n>          seed of weights, data and masks; same seed -> same losses (default 1)
  --backend <name>    wasm | cpu   (default wasm)
  --out <path>        HTML report path (default apps/demo/${DEFAULT_REPORT_PATH})
  --help              show this text

Exit code 1 when a check fails (see the table's "check" column and the checks below it).`;

/** A command-line mistake: the message says what was wrong and how to fix it. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** The candidate with the smallest edit distance to `name` (the first on a tie). */
function closest(name: string, candidates: readonly string[]): string {
  const distance = (a: string, b: string): number => {
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      for (let j = 1; j <= b.length; j++) {
        const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
        current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
      }
      previous = current;
    }
    return previous[b.length]!;
  };
  return candidates.reduce((best, candidate) =>
    distance(name, candidate) < distance(name, best) ? candidate : best,
  );
}

function integerValue(flag: string, raw: string | undefined, min: number, example: string): number {
  const value = Number(raw);
  if (raw === undefined || raw.startsWith('--') || !Number.isInteger(value) || value < min) {
    throw new CliUsageError(
      `${flag} expects an integer ≥ ${min}; received ${raw === undefined ? 'nothing' : JSON.stringify(raw)}. Fix: e.g. ${flag} ${example}.`,
    );
  }
  return value;
}

function choiceValue<T extends string>(
  flag: string,
  raw: string | undefined,
  choices: readonly T[],
): T {
  if (raw === undefined || !(choices as readonly string[]).includes(raw)) {
    throw new CliUsageError(
      `${flag} expects one of ${choices.join(', ')}; received ${raw === undefined ? 'nothing' : JSON.stringify(raw)}. Fix: e.g. ${flag} ${choices[0]}.`,
    );
  }
  return raw as T;
}

/**
 * Parses the CLI arguments (without `node` and the script): `--flag value` or `--flag=value`.
 *
 * @throws {CliUsageError} for an unknown flag, a missing or invalid value, or a stray argument.
 */
export function parseArguments(argv: readonly string[]): CliOptions {
  const options = {
    objective: 'all' as ObjectiveChoice,
    steps: undefined as number | undefined,
    seed: 1,
    backend: 'wasm' as BackendChoice,
    fromScratch: false,
    explain: false,
    out: DEFAULT_REPORT_PATH,
    help: false,
  };
  const known = [
    '--objective',
    '--from-scratch',
    '--explain',
    '--steps',
    '--seed',
    '--backend',
    '--out',
    '--help',
  ];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    // pnpm passes a lone `--` through when it separates its own options from the script's.
    if (argument === '--') continue;
    const [flag, inline] = argument.includes('=')
      ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)]
      : [argument, undefined];
    const value = () => inline ?? argv[++index];
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--from-scratch':
      case '--explain':
        if (inline !== undefined) {
          throw new CliUsageError(
            `${flag} takes no value; received ${JSON.stringify(inline)}. Fix: write ${flag} alone.`,
          );
        }
        if (flag === '--explain') options.explain = true;
        else options.fromScratch = true;
        break;
      case '--objective':
        options.objective = choiceValue(flag, value(), OBJECTIVE_CHOICES);
        break;
      case '--backend':
        options.backend = choiceValue(flag, value(), BACKEND_CHOICES);
        break;
      case '--steps':
        options.steps = integerValue(flag, value(), 1, '50');
        break;
      case '--seed':
        options.seed = integerValue(flag, value(), 0, '7');
        break;
      case '--out': {
        const path = value();
        if (path === undefined || path === '' || path.startsWith('--')) {
          throw new CliUsageError(
            `--out expects a file path; received ${path === undefined ? 'nothing' : JSON.stringify(path)}. Fix: e.g. --out /tmp/report.html.`,
          );
        }
        options.out = path;
        break;
      }
      default:
        throw new CliUsageError(
          flag.startsWith('-')
            ? `Unknown option ${JSON.stringify(flag)}. Fix: did you mean ${closest(flag, known)}? The options are ${known.join(', ')} (see --help).`
            : `Unexpected argument ${JSON.stringify(argument)}. Fix: options take the form --name value (see --help).`,
        );
    }
  }
  return options;
}
