import { SafetensorsError } from './safetensors-error';

/** The format a reader expects a file to declare in its `__metadata__`. */
export interface DeclaredFormat {
  /** The expected `__metadata__.format`, e.g. `'lm-objectives/lora-adapters'`. */
  readonly format: string;
  /** The expected `__metadata__.formatVersion`, e.g. `'2'`. */
  readonly formatVersion: string;
  /** How to fix a file of another format (e.g. which function reads it instead). */
  readonly otherFormatFix?: string;
}

/**
 * Refuses a file that does not declare the expected format and version in its `__metadata__`
 * (`format`, `formatVersion`), so that a file of another kind is named as such before its
 * checksum or values are looked at.
 */
export function checkDeclaredFormat(
  metadata: Readonly<Record<string, string>>,
  expected: DeclaredFormat,
): void {
  const refuse = (key: 'format' | 'formatVersion', fix: string): never => {
    throw new SafetensorsError({
      functionName: 'readSafetensors',
      code: 'unexpected-format',
      key: `__metadata__.${key}`,
      expected: key === 'format' ? `'${expected.format}'` : `version ${expected.formatVersion}`,
      received: metadata[key] === undefined ? 'none' : JSON.stringify(metadata[key]),
      fix,
    });
  };
  if (metadata['format'] !== expected.format) {
    refuse('format', expected.otherFormatFix ?? `pass a file in the format '${expected.format}'.`);
  }
  if (metadata['formatVersion'] !== expected.formatVersion) {
    refuse(
      'formatVersion',
      'read it with the release that wrote it, and save it again with this one.',
    );
  }
}
