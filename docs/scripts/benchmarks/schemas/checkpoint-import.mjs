// The reference models' checkpoint-import benchmark (`packages/models/bench/results/import-memory.json`):
// peak memory of importing a Hugging Face checkpoint by streaming it, from its bytes, or decoding
// it whole, relative to the size of the model's variables.
import { integer, ratio } from './format.mjs';

const row = (data, mode, backend) =>
  data.rows.find((entry) => entry.mode === mode && entry.backend === backend);

export const checkpointImportSchema = {
  id: 'checkpoint-import',
  title: 'Checkpoint import',
  matches: (data) =>
    typeof data.variableBytes === 'number' &&
    Array.isArray(data.rows) &&
    data.rows.every((entry) => typeof entry.peakRssOverVariables === 'number'),
  machine: () => undefined,
  headlines(data) {
    const stream = row(data, 'stream', 'cpu');
    const decode = row(data, 'decode', 'cpu');
    if (!stream || !decode) return [];
    return [
      {
        comparison: 'importing a checkpoint by streaming it vs decoding it whole: peak memory',
        result: `${ratio(stream.peakRssOverVariables)} vs ${ratio(decode.peakRssOverVariables)} the variables' size`,
        setting: `${integer(stream.parameters)} parameters, cpu backend`,
      },
    ];
  },
};
