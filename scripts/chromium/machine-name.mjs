// The name the browser benchmarks give this machine in their result files, when none is given:
// its logical cores and CPU model, e.g. `2-core-amd-epyc-7b13`.
import { cpus } from 'node:os';

/** `<logical cores>-core-<CPU model>`, lower case, non-alphanumerics as dashes. */
export function machineName() {
  const cores = cpus();
  const model = (cores[0]?.model ?? 'cpu')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return `${cores.length}-core-${model}`;
}
