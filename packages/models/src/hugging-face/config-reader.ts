import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * Reads a Hugging Face `config.json` object key by key, refusing what we cannot represent with the
 * key and the reason, and remembering which keys it looked at (the rest are reported as ignored).
 *
 * @internal
 */
export class ConfigReader {
  private readonly seen = new Set<string>();

  constructor(
    readonly functionName: string,
    readonly config: Readonly<Record<string, unknown>>,
    readonly architecture: string,
  ) {}

  /** Marks keys that do not change the weights or the forward pass (token ids, cache flags, …). */
  allow(...keys: string[]): void {
    for (const key of keys) this.seen.add(key);
  }

  /** The raw value (marked as read). */
  value(key: string): unknown {
    this.seen.add(key);
    return this.config[key];
  }

  /** A positive integer, or `fallback` when the key is absent or `null`. */
  integer(key: string, fallback?: number): number {
    const value = this.value(key) ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      this.refuse(
        key,
        'a positive integer',
        value,
        'the file is not a valid config.json for this architecture.',
      );
    }
    return value as number;
  }

  /** A finite number, or `fallback` when absent or `null`. */
  number(key: string, fallback?: number): number {
    const value = this.value(key) ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.refuse(
        key,
        'a finite number',
        value,
        'the file is not a valid config.json for this architecture.',
      );
    }
    return value as number;
  }

  /** A boolean, or `fallback` when absent or `null`. */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.value(key) ?? fallback;
    if (typeof value !== 'boolean') {
      this.refuse(
        key,
        'true or false',
        value,
        'the file is not a valid config.json for this architecture.',
      );
    }
    return value as boolean;
  }

  /**
   * Requires the key to be absent or one of `allowed` (compared with `===`; `null` and absent are
   * the same), refusing anything else with `reason`: what this package cannot represent.
   */
  expect(key: string, allowed: readonly unknown[], reason: string): unknown {
    const value = this.value(key) ?? null;
    if (!allowed.includes(value)) {
      this.refuse(
        key,
        `${allowed.map((item) => JSON.stringify(item)).join(' or ')} (${reason})`,
        value,
        'only checkpoints of the supported variant can be imported; see the README of @lm-objectives/models.',
      );
    }
    return value;
  }

  /** The keys present in the file that nothing read: they are listed in the import's notes. */
  ignoredKeys(): string[] {
    return Object.keys(this.config)
      .filter((key) => !this.seen.has(key))
      .sort();
  }

  /** Throws the refusal for `key`. */
  refuse(key: string, expected: string, received: unknown, fix: string): never {
    throw new InvalidArgumentError({
      functionName: this.functionName,
      argumentName: `config.json '${key}' (${this.architecture})`,
      expected,
      received,
      receivedDescription: JSON.stringify(received) ?? String(received),
      fix,
    });
  }
}
