// BERT's benchmark (`packages/bert/bench/results/results.json`): the masker and the pair builder
// (data side) and the gather-first masked-LM head.
import { perSecond, ratio } from './format.mjs';

const named = (measurements, prefix) =>
  measurements.find((measurement) => measurement.name.startsWith(prefix));

export const bertDataSideSchema = {
  id: 'bert-data-side',
  title: 'BERT data side and heads',
  matches: (data) =>
    Array.isArray(data.masker?.measurements) && Array.isArray(data.heads?.measurements),
  machine: (data) =>
    `${data.machine.cpus} × ${data.machine.model}, Node ${data.machine.node}, ${data.heads.backend} backend for the heads`,
  headlines(data) {
    const rows = [];
    const masker = named(data.masker.measurements, 'masker exact-round');
    const bare = named(data.masker.measurements, 'bare JS loop');
    if (masker && bare) {
      rows.push({
        comparison:
          'BERT masker (default policy) vs a bare `Math.random` loop that only writes `[MASK]`',
        result: `${perSecond(masker.itemsPerCpuSecond, 'tokens')}, ${ratio(masker.itemsPerCpuSecond / bare.itemsPerCpuSecond)} the bare loop's speed`,
        setting: `batch ${data.masker.batch.join(' × ')}, CPU time`,
      });
    }
    const pairs = data.pairBuilder?.measurements?.[0];
    if (pairs) {
      rows.push({
        comparison: 'BERT next-sentence pair builder',
        result: perSecond(pairs.itemsPerCpuSecond, 'tokens'),
        setting: pairs.name.replace(/^pair builder, /, ''),
      });
    }
    if (data.heads.gatherFirstSpeedupCpu) {
      const { setting } = data.heads;
      rows.push({
        headline: true,
        comparison: 'BERT masked-LM head: gather first vs score every position',
        result: `**${ratio(data.heads.gatherFirstSpeedupCpu)} faster**`,
        setting: `B ${setting.batch}, L ${setting.sequence}, H ${setting.hidden}, V ${setting.vocabulary.toLocaleString('en-US')}, ${data.heads.backend}`,
      });
    }
    return rows;
  },
};
