export { describeValue, withArticle } from './describe-value';
export { DuplicateObjectiveError } from './duplicate-objective-error';
export {
  type ArgumentProblem,
  formatArgumentProblem,
  InvalidArgumentError,
} from './invalid-argument-error';
export { LmObjectivesError } from './lm-objectives-error';
export { ObjectiveNotFoundError } from './objective-not-found-error';
export { ShapeMismatchError } from './shape-mismatch-error';
export { UnsupportedSpecificationVersionError } from './unsupported-specification-version-error';
