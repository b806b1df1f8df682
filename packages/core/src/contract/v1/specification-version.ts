/** The versions of the `LossObjective` contract this copy of `@lm-objectives/core` accepts. */
export const SUPPORTED_SPECIFICATION_VERSIONS = ['v1'] as const;

/** A version of the `LossObjective` contract. */
export type SpecificationVersion = (typeof SUPPORTED_SPECIFICATION_VERSIONS)[number];
