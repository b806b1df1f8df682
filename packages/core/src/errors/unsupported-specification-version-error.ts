import { hasMarker, LmObjectivesError } from './lm-objectives-error';

const marker = 'lm-objectives.error.unsupported-specification-version';
const symbol = Symbol.for(marker);

/**
 * An objective implements a version of the `LossObjective` contract this copy of
 * `@lm-objectives/core` does not accept (a plugin built for a newer or older contract).
 */
export class UnsupportedSpecificationVersionError extends LmObjectivesError {
  protected readonly [symbol] = true;
  readonly functionName: string;
  readonly objectiveId: string | undefined;
  readonly receivedVersion: unknown;
  readonly supportedVersions: readonly string[];

  constructor(details: {
    functionName: string;
    objectiveId?: string;
    receivedVersion: unknown;
    supportedVersions: readonly string[];
  }) {
    const who = details.objectiveId ? `objective '${details.objectiveId}'` : 'the objective';
    const accepted = details.supportedVersions.map((version) => `'${version}'`).join(', ');
    super(
      `${details.functionName}: ${who} declares specificationVersion ${JSON.stringify(details.receivedVersion)}, which this version of @lm-objectives/core does not support. Expected one of ${accepted}. Fix: install a version of the plugin built for specification ${accepted}, or upgrade @lm-objectives/core to one that supports ${JSON.stringify(details.receivedVersion)}.`,
    );
    this.name = 'UnsupportedSpecificationVersionError';
    this.functionName = details.functionName;
    this.objectiveId = details.objectiveId;
    this.receivedVersion = details.receivedVersion;
    this.supportedVersions = details.supportedVersions;
  }

  /** Whether `error` is an {@link UnsupportedSpecificationVersionError} from any copy of this package. */
  static override isInstance(error: unknown): error is UnsupportedSpecificationVersionError {
    return hasMarker(error, marker);
  }
}
