/** Thrown inside a check to fail it; the message tells the objective's author what to fix. */
export class ConformanceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceFailure';
  }
}

/** Thrown inside a check when it cannot apply to this objective or fixture; the message says why. */
export class ConformanceSkip extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceSkip';
  }
}

/** Fails the running check with `message`. */
export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

/** Fails the running check with every collected problem, one per line, if there is any. */
export function failIfAny(problems: readonly string[], summary: string): void {
  if (problems.length > 0) fail(`${summary}\n- ${problems.join('\n- ')}`);
}

/** The message of anything thrown, with its class name. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
