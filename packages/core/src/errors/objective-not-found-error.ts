import { hasMarker, LmObjectivesError } from './lm-objectives-error';

const marker = 'lm-objectives.error.objective-not-found';
const symbol = Symbol.for(marker);

/** A registry was asked for an objective id it does not hold. */
export class ObjectiveNotFoundError extends LmObjectivesError {
  protected readonly [symbol] = true;
  readonly objectiveId: string;
  readonly availableObjectiveIds: readonly string[];

  constructor(details: {
    functionName: string;
    objectiveId: string;
    availableObjectiveIds: readonly string[];
  }) {
    const available = details.availableObjectiveIds.length
      ? details.availableObjectiveIds.map((id) => `'${id}'`).join(', ')
      : 'none (the registry is empty)';
    super(
      `${details.functionName}: no objective with id '${details.objectiveId}' is registered. Expected one of ${available}; received '${details.objectiveId}'. Fix: import the package that provides it and call registerObjective, or check the id's spelling.`,
    );
    this.name = 'ObjectiveNotFoundError';
    this.objectiveId = details.objectiveId;
    this.availableObjectiveIds = details.availableObjectiveIds;
  }

  /** Whether `error` is an {@link ObjectiveNotFoundError} from any copy of this package. */
  static override isInstance(error: unknown): error is ObjectiveNotFoundError {
    return hasMarker(error, marker);
  }
}
