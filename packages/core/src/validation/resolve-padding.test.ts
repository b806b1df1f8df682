import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from '../../test/backends';
import { paddedLength, resolvePadding } from './resolve-padding';

const refused = (
  given: Record<string, unknown>,
  argumentName: string,
  fragments: readonly string[],
  rules = {},
) =>
  expectInvalidArgument(
    () => resolvePadding('createAcmeBatch', given, rules),
    'createAcmeBatch',
    argumentName,
    fragments,
  );

describe('resolvePadding', () => {
  it('fills in the defaults: longest, no limit, multiple 1', () => {
    expect(resolvePadding('createAcmeBatch', {})).toEqual({
      maxLength: undefined,
      padding: 'longest',
      padToMultipleOf: 1,
    });
    expect(
      resolvePadding('createAcmeBatch', {
        maxLength: 16,
        padding: 'max-length',
        padToMultipleOf: 8,
      }),
    ).toEqual({ maxLength: 16, padding: 'max-length', padToMultipleOf: 8 });
  });

  it("refuses 'max-length' without maxLength, and another setting's need for one", () => {
    refused({ padding: 'max-length' }, 'options.maxLength', [
      "a row length, because padding is 'max-length'",
      "use padding: 'longest'",
    ]);
    const packing = { requiredBy: { because: 'packing is on', otherwise: 'turn packing off' } };
    refused({}, 'options.maxLength', ['because packing is on', 'turn packing off'], packing);
    expect(resolvePadding('createAcmeBatch', { maxLength: 4 }, packing).maxLength).toBe(4);
  });

  it('refuses a maxLength that is not a multiple of padToMultipleOf when asked, naming the two nearest', () => {
    const strict = { maxLengthIsMultiple: true };
    refused(
      { maxLength: 10, padToMultipleOf: 8 },
      'options.maxLength',
      ['a multiple of padToMultipleOf (8)', 'pass maxLength 16 or 8'],
      strict,
    );
    refused({ maxLength: 3, padToMultipleOf: 4 }, 'options.maxLength', ['pass maxLength 4,'], {
      ...strict,
      minLength: 2,
    });
    // Without the rule, rows round up past maxLength (Hugging Face's pad_to_multiple_of).
    const loose = resolvePadding('createAcmeBatch', {
      maxLength: 10,
      padding: 'max-length',
      padToMultipleOf: 4,
    });
    expect(paddedLength(loose, 7)).toBe(12);
  });

  it('refuses values outside their domain, with the closest padding name', () => {
    refused({ maxLength: 1 }, 'options.maxLength', ['[2, 2147483647]', 'at least 2'], {
      minLength: 2,
      maxLengthFix: 'pass at least 2 (a prompt token and a target).',
    });
    refused({ maxLength: 2.5 }, 'options.maxLength', ['integer']);
    refused({ padding: 'max_length' }, 'options.padding', ["'max-length'"]);
    refused({ padToMultipleOf: 0 }, 'options.padToMultipleOf', ['[1, ∞)']);
  });
});

describe('paddedLength', () => {
  it('is the longest row, or maxLength, rounded up to the multiple: L = m⌈ℓ/m⌉', () => {
    const longest = { maxLength: undefined, padding: 'longest', padToMultipleOf: 1 } as const;
    expect(paddedLength(longest, 5)).toBe(5);
    expect(paddedLength({ ...longest, padToMultipleOf: 4 }, 5)).toBe(8);
    expect(paddedLength({ ...longest, padToMultipleOf: 4 }, 8)).toBe(8);
    expect(paddedLength({ ...longest, padToMultipleOf: 4 }, 0)).toBe(0);
    expect(paddedLength({ maxLength: 16, padding: 'max-length', padToMultipleOf: 8 }, 3)).toBe(16);
  });
});
