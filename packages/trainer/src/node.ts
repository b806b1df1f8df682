/**
 * `@lm-objectives/trainer/node`: the Node-only parts of the trainer — checkpoints as files and the
 * terminal progress reporter. A separate entry, so that browser bundles never reach `node:fs`.
 *
 * @packageDocumentation
 */

export {
  loadCheckpointFromDirectory,
  type SaveCheckpointToDirectoryOptions,
  saveCheckpointToDirectory,
} from './checkpoint/directory-checkpoint-store';
export {
  createProgressReporter,
  type ProgressReporter,
  type ProgressReporterOptions,
  type ReporterStream,
} from './reporter/create-progress-reporter';
