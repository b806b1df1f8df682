import { hasMarker, LmObjectivesError } from './lm-objectives-error';

const marker = 'lm-objectives.error.duplicate-objective';
const symbol = Symbol.for(marker);

/** An objective was registered under an id that a registry already holds. */
export class DuplicateObjectiveError extends LmObjectivesError {
  protected readonly [symbol] = true;
  readonly objectiveId: string;

  constructor(details: { functionName: string; objectiveId: string }) {
    super(
      `${details.functionName}: an objective with id '${details.objectiveId}' is already registered. Expected an id not yet in the registry; received '${details.objectiveId}' again. Fix: register each objective once (check for duplicate imports with hasObjective), unregister the old one first, or pick a different id.`,
    );
    this.name = 'DuplicateObjectiveError';
    this.objectiveId = details.objectiveId;
  }

  /** Whether `error` is a {@link DuplicateObjectiveError} from any copy of this package. */
  static override isInstance(error: unknown): error is DuplicateObjectiveError {
    return hasMarker(error, marker);
  }
}
