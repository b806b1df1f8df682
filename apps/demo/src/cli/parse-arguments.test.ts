import { describe, expect, it } from 'vitest';
import { CliUsageError, DEFAULT_REPORT_PATH, parseArguments } from './parse-arguments';

function messageOf(argv: string[]): string {
  try {
    parseArguments(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    return (error as Error).message;
  }
  throw new Error(`parseArguments(${JSON.stringify(argv)}) did not throw`);
}

describe('parseArguments', () => {
  it('gives the defaults without arguments: every objective, wasm, seed 1, the default report path', () => {
    expect(parseArguments([])).toEqual({
      objective: 'all',
      steps: undefined,
      seed: 1,
      backend: 'wasm',
      fromScratch: false,
      explain: false,
      out: DEFAULT_REPORT_PATH,
      help: false,
    });
  });

  it('reads every flag, as --flag value and as --flag=value, and skips the -- pnpm passes on', () => {
    expect(
      parseArguments([
        '--',
        '--objective',
        'lora',
        '--steps=25',
        '--seed',
        '0',
        '--backend=cpu',
        '--from-scratch',
        '--explain',
        '--out',
        '/tmp/r.html',
      ]),
    ).toEqual({
      objective: 'lora',
      steps: 25,
      seed: 0,
      backend: 'cpu',
      fromScratch: true,
      explain: true,
      out: '/tmp/r.html',
      help: false,
    });
    expect(parseArguments(['--help']).help).toBe(true);
    expect(parseArguments(['-h']).help).toBe(true);
  });

  it('names the flag, what it expects, what it got and the fix for a bad value', () => {
    expect(messageOf(['--objective', 'gpt'])).toBe(
      '--objective expects one of all, bert, glm, causal, lora, prefix; received "gpt". Fix: e.g. --objective all.',
    );
    expect(messageOf(['--steps', '0'])).toBe(
      '--steps expects an integer ≥ 1; received "0". Fix: e.g. --steps 50.',
    );
    expect(messageOf(['--steps', '2.5'])).toContain('expects an integer ≥ 1; received "2.5"');
    expect(messageOf(['--seed', '-1'])).toContain('--seed expects an integer ≥ 0; received "-1"');
    expect(messageOf(['--backend', 'webgl'])).toContain('--backend expects one of wasm, cpu');
    expect(messageOf(['--steps'])).toContain('received nothing');
    expect(messageOf(['--steps', '--seed', '2'])).toContain('received "--seed"');
    expect(messageOf(['--from-scratch=yes'])).toBe(
      '--from-scratch takes no value; received "yes". Fix: write --from-scratch alone.',
    );
    expect(messageOf(['--explain=1'])).toBe(
      '--explain takes no value; received "1". Fix: write --explain alone.',
    );
    expect(messageOf(['--out'])).toBe(
      '--out expects a file path; received nothing. Fix: e.g. --out /tmp/report.html.',
    );
  });

  it('refuses unknown flags with the closest known one, and stray arguments', () => {
    expect(messageOf(['--step', '5'])).toBe(
      'Unknown option "--step". Fix: did you mean --steps? The options are --objective, --from-scratch, --explain, --steps, --seed, --backend, --out, --help (see --help).',
    );
    expect(messageOf(['--fromscratch'])).toContain('did you mean --from-scratch?');
    expect(messageOf(['--explian'])).toContain('did you mean --explain?');
    expect(messageOf(['bert'])).toBe(
      'Unexpected argument "bert". Fix: options take the form --name value (see --help).',
    );
  });
});
