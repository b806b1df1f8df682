import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from '../../test/backends';
import { checkOptionKeys } from './check-option-keys';
import { checkOptionsObject } from './check-options-object';

const ALLOWED = ['learningRate', 'weightDecay', 'onProgress'];

describe('checkOptionKeys', () => {
  it('returns the options when every key is known, and passes undefined through', () => {
    const options = { learningRate: 0.1 };
    expect(checkOptionKeys('createTrainer', options, ALLOWED)).toBe(options);
    expect(checkOptionKeys('createTrainer', undefined, ALLOWED)).toBeUndefined();
    expect(checkOptionKeys('createTrainer', {}, ALLOWED)).toEqual({});
  });

  it.each([
    ['weight_decay', 'weightDecay'],
    ['learningrate', 'learningRate'],
    ['on_progress', 'onProgress'],
  ])("refuses the unknown key %s and suggests '%s'", (key, closest) => {
    expectInvalidArgument(
      () => checkOptionKeys('createTrainer', { [key]: 1 }, ALLOWED),
      'createTrainer',
      `options.${key}`,
      [
        'Expected one of the known options learningRate, weightDecay, onProgress',
        `received an unknown option '${key}'`,
        `Fix: did you mean '${closest}'? If not, remove it or correct its spelling`,
      ],
    );
  });

  it('gives the plain advice when no known option is close', () => {
    const error = expectInvalidArgument(
      () => checkOptionKeys('createTrainer', { banana: 1 }, ALLOWED),
      'createTrainer',
      'options.banana',
      ['Fix: remove it or correct its spelling (options are camelCase).'],
    );
    expect(error.message).not.toContain('did you mean');
  });

  it('names nested options by their path', () => {
    expectInvalidArgument(
      () =>
        checkOptionKeys('createTrainer', { beta_1: 0.9 }, ['beta1', 'beta2'], 'options.optimizer'),
      'createTrainer',
      'options.optimizer.beta_1',
      ["did you mean 'beta1'?"],
    );
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'replace'],
    ['a number', 3],
  ])('refuses %s in place of an options object', (_, value) => {
    expectInvalidArgument(
      () => checkOptionKeys('createTrainer', value, ALLOWED),
      'createTrainer',
      'options',
      ['Expected an options object or undefined', 'pass an object with some of: learningRate'],
    );
  });
});

describe('checkOptionsObject', () => {
  const site = { functionName: 'createGlmBatch', argumentName: 'options' };
  const keys = { required: ['maskTokenId'], allowed: ['maskTokenId', 'maxLength'] };

  it('returns the options when the required keys are present and every key is known', () => {
    const options = { maskTokenId: 4, maxLength: 16 };
    expect(checkOptionsObject(site, options, keys)).toBe(options);
    expect(checkOptionsObject(site, {}, { allowed: ['a'] })).toEqual({});
  });

  it('refuses a missing options object, naming the required keys', () => {
    expectInvalidArgument(
      () => checkOptionsObject(site, undefined, keys),
      'createGlmBatch',
      'options',
      ['Expected an options object with at least maskTokenId', 'received undefined'],
    );
    expectInvalidArgument(
      () => checkOptionsObject(site, null, { allowed: ['a'] }),
      'createGlmBatch',
      'options',
      ['Expected an options object;', 'received null'],
    );
  });

  it('refuses a missing required key', () => {
    expectInvalidArgument(
      () => checkOptionsObject(site, { maxLength: 3, maskTokenId: undefined }, keys),
      'createGlmBatch',
      'options.maskTokenId',
      ['a value for the required option maskTokenId', 'set options.maskTokenId.'],
    );
  });

  it('reports a misspelt required key as unknown, with the suggestion, before it is missed', () => {
    expectInvalidArgument(
      () => checkOptionsObject(site, { mask_token_id: 4 }, keys),
      'createGlmBatch',
      'options.mask_token_id',
      ["did you mean 'maskTokenId'?"],
    );
  });
});
