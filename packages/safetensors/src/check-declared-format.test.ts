import { describe, expect, it } from 'vitest';
import { readSafetensors } from './read-safetensors';
import { SafetensorsError } from './safetensors-error';
import { writeSafetensors } from './write-safetensors';

const tensors = { w: { shape: [2], data: Float32Array.of(1, 2) } };
const expectedFormat = {
  format: 'acme/weights',
  formatVersion: '3',
  otherFormatFix: 'use readOther.',
};

function errorOf(read: () => unknown): SafetensorsError {
  try {
    read();
  } catch (error) {
    if (SafetensorsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a SafetensorsError');
}

describe('readSafetensors with expectedFormat', () => {
  it('reads a file that declares the expected format and version', () => {
    const bytes = writeSafetensors(tensors, { format: 'acme/weights', formatVersion: '3' });
    expect(readSafetensors(bytes, { expectedFormat }).tensors.get('w')!.shape).toEqual([2]);
  });

  it('names a file of another format or version before its checksum is looked at', () => {
    const other = writeSafetensors(tensors, { format: 'pt' });
    const error = errorOf(() =>
      readSafetensors(other, { expectedFormat, requireChecksum: true, functionName: 'readAcme' }),
    );
    expect([error.code, error.key, error.functionName]).toEqual([
      'unexpected-format',
      '__metadata__.format',
      'readAcme',
    ]);
    expect(error.message).toMatch(/Expected 'acme\/weights'; received "pt"\. Fix: use readOther\./);
    const older = writeSafetensors(
      tensors,
      { format: 'acme/weights', formatVersion: '2' },
      { checksum: true },
    );
    const version = errorOf(() => readSafetensors(older, { expectedFormat }));
    expect([version.code, version.key]).toEqual([
      'unexpected-format',
      '__metadata__.formatVersion',
    ]);
    expect(version.message).toMatch(/Expected version 3; received "2"/);
  });
});
