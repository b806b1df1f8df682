import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * Refuses the binary adapter format this package wrote before its checkpoints became safetensors
 * files (the magic `LORA`, a JSON header, float32 values and no checksum; never released), saying
 * how to convert one.
 */
export function refuseLegacyCheckpoint(functionName: string, bytes: unknown): void {
  if (!(bytes instanceof Uint8Array) || bytes.length < 4) return;
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== 'LORA') return;
  throw new InvalidArgumentError({
    functionName,
    argumentName: 'bytes',
    expected: 'a safetensors adapter checkpoint (format version 2, with a content checksum)',
    received: bytes,
    receivedDescription:
      "bytes starting with 'LORA': the pre-release adapter checkpoint format (version 1, no checksum), which is no longer read",
    fix: 'decode it with the lm-objectives build that wrote it, load it into adapters there, and save them again with this version (encodeLoraCheckpoint(saveLoraAdapters(adapters))); or save the adapters again from the model that holds them.',
  });
}
