// GLM's data-side benchmark (`packages/glm/bench/results/results.json`): the sample builder's
// throughput against a plain-array baseline and the Python reference's published figure.
import { perSecond, ratio } from './format.mjs';

const BUILDER = 'createGlmSampleBuilder().build';

export const glmDataSideSchema = {
  id: 'glm-data-side',
  title: 'GLM data side',
  matches: (data) =>
    typeof data.builder === 'object' &&
    data.builder !== null &&
    typeof data.referenceTokensPerSecond === 'number',
  machine: (data) => `${data.cores} × ${data.cpu}, Node ${data.node}, tfjs ${data.tfjs}`,
  headlines(data) {
    const builder = data.builder[BUILDER];
    if (!builder) return [];
    const rows = [
      {
        headline: true,
        comparison: 'GLM sample builder vs the Python reference implementation',
        result: `**${ratio(builder.wallTokensPerSecond / data.referenceTokensPerSecond)} faster** (${perSecond(builder.wallTokensPerSecond, 'tokens')} vs ${perSecond(data.referenceTokensPerSecond, 'tokens')})`,
        setting: `samples of ${data.sampleLength} tokens; the reference's figure is the published one, not re-run here`,
      },
    ];
    const baseline = Object.entries(data.builder).find(([name]) => name.startsWith('naive'));
    if (baseline) {
      rows.push({
        comparison: 'GLM sample builder vs a plain-array JavaScript implementation',
        result: `${ratio(builder.wallTokensPerSecond / baseline[1].wallTokensPerSecond)} faster`,
        setting: `samples of ${data.sampleLength} tokens, wall time`,
      });
    }
    return rows;
  },
};
