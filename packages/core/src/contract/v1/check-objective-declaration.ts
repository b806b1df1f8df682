import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { UnsupportedSpecificationVersionError } from '../../errors/unsupported-specification-version-error';
import { SUPPORTED_SPECIFICATION_VERSIONS } from './specification-version';

/** The pattern of an objective id: `scope/name`, lowercase letters, digits and dashes. */
export const OBJECTIVE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The field dtypes a declaration may use. */
const FIELD_DTYPES = ['int32', 'float32', 'bool'];

/** Where a declaration came from: `'definition'` (defineObjective) or `'objective'` (a registry). */
interface DeclarationSite {
  functionName: string;
  argumentName: string;
}

function invalid(
  site: DeclarationSite,
  member: string,
  expected: string,
  received: unknown,
  fix: string,
): InvalidArgumentError {
  return new InvalidArgumentError({
    functionName: site.functionName,
    argumentName: `${site.argumentName}.${member}`,
    expected,
    received,
    fix,
  });
}

function checkPartNames(site: DeclarationSite, partNames: unknown): void {
  if (
    !Array.isArray(partNames) ||
    partNames.length === 0 ||
    new Set(partNames).size !== partNames.length ||
    partNames.some((name) => typeof name !== 'string' || name === '')
  ) {
    throw invalid(
      site,
      'partNames',
      'a non-empty array of distinct part names',
      partNames,
      "list the loss parts, e.g. ['maskedLm', 'nextSentence'].",
    );
  }
}

function checkBatchFields(site: DeclarationSite, batchFields: unknown): void {
  if (
    batchFields == null ||
    typeof batchFields !== 'object' ||
    Object.keys(batchFields).length === 0
  ) {
    throw invalid(
      site,
      'batchFields',
      'an object declaring at least one batch field',
      batchFields,
      "declare each field, e.g. { inputIds: { dtype: 'int32', dimensions: ['batch', 'sequence'], description: '…' } }.",
    );
  }
  for (const [name, spec] of Object.entries(batchFields as Record<string, unknown>)) {
    const field = spec as { dtype?: unknown; dimensions?: unknown; description?: unknown } | null;
    if (
      field == null ||
      !FIELD_DTYPES.includes(field.dtype as string) ||
      !Array.isArray(field.dimensions) ||
      field.dimensions.some((dimension) => typeof dimension !== 'string' || dimension === '') ||
      typeof field.description !== 'string'
    ) {
      throw invalid(
        site,
        `batchFields.${name}`,
        "{ dtype: 'int32' | 'float32' | 'bool', dimensions: string[], description: string }",
        spec,
        'complete the field declaration.',
      );
    }
  }
}

function checkMembers(
  site: DeclarationSite,
  declaration: Record<string, unknown>,
  optionalMembers: boolean,
): void {
  const required = optionalMembers
    ? ['createBatch', 'computeLoss']
    : ['createBatch', 'computeLoss', 'trainableWeights', 'dispose'];
  const optional = optionalMembers
    ? ['trainableWeights', 'dispose', 'explainBatch']
    : ['explainBatch'];
  for (const member of required) {
    if (typeof declaration[member] !== 'function') {
      throw invalid(site, member, 'a function', declaration[member], `implement ${member}.`);
    }
  }
  for (const member of optional) {
    const value = declaration[member];
    if (value !== undefined && typeof value !== 'function') {
      throw invalid(
        site,
        member,
        'a function or undefined',
        value,
        `implement ${member}${member === 'explainBatch' ? '(batch)' : ''} or leave it out.`,
      );
    }
  }
}

/**
 * Checks what every objective declares — the id (`scope/name`, lowercase kebab case), a
 * description, distinct part names, the batch fields and the contract's methods — and, when one is
 * given, that `specificationVersion` is supported. `defineObjective` runs it on a definition
 * (where `trainableWeights` and `dispose` may be left out), a registry on every objective it
 * receives, so that an objective built by hand is held to the same rules.
 *
 * @throws {InvalidArgumentError} naming the member (`definition.objectiveId`, `objective.computeLoss`…).
 * @throws {UnsupportedSpecificationVersionError} for a version this copy of core does not accept.
 */
export function checkObjectiveDeclaration(
  site: DeclarationSite,
  declaration: Record<string, unknown>,
  optionalMembers: boolean,
): void {
  const { objectiveId, description } = declaration;
  if (typeof objectiveId !== 'string' || !OBJECTIVE_ID_PATTERN.test(objectiveId)) {
    throw invalid(
      site,
      'objectiveId',
      "an id 'scope/name' in lowercase kebab case, e.g. 'acme/replaced-token-detection'",
      objectiveId,
      'use your package scope or name, a slash, and the objective name, in lowercase letters, digits and dashes.',
    );
  }
  const version = declaration['specificationVersion'];
  if (
    (!optionalMembers || version !== undefined) &&
    !(SUPPORTED_SPECIFICATION_VERSIONS as readonly unknown[]).includes(version)
  ) {
    throw new UnsupportedSpecificationVersionError({
      functionName: site.functionName,
      objectiveId,
      receivedVersion: version,
      supportedVersions: SUPPORTED_SPECIFICATION_VERSIONS,
    });
  }
  if (typeof description !== 'string' || description.trim() === '') {
    throw invalid(
      site,
      'description',
      'a non-empty sentence',
      description,
      'say in one sentence what the objective trains.',
    );
  }
  checkPartNames(site, declaration['partNames']);
  checkBatchFields(site, declaration['batchFields']);
  checkMembers(site, declaration, optionalMembers);
}
