// Timing helpers of the benchmarks: interleaved runs of every variant (so that they share the
// machine's load), medians, and CPU time next to wall time.

/** One timed run: wall-clock and process CPU seconds. */
export interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

/** Runs `action` once and times it. */
export function time(action: () => void): Timing {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  action();
  const wallSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs every variant `runs` times, interleaved (A B C A B C …) after `warmups` untimed rounds, and
 * returns each variant's timings in run order.
 */
export function interleave(
  variants: Readonly<Record<string, () => void>>,
  runs: number,
  warmups: number,
): Record<string, Timing[]> {
  const names = Object.keys(variants);
  for (let round = 0; round < warmups; round++) for (const name of names) variants[name]!();
  const timings: Record<string, Timing[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let run = 0; run < runs; run++) {
    for (const name of names) timings[name]!.push(time(variants[name]!));
  }
  return timings;
}

/**
 * Wraps `action` to repeat it enough times that one timed run lasts about `targetSeconds` of CPU
 * time (small operations timed once are dominated by scheduler noise on a loaded machine).
 * Returns the wrapped action and the repeat count.
 */
export function calibrated(
  action: () => void,
  targetSeconds: number,
): { run: () => void; repeats: number } {
  action(); // warm-up
  const single = Math.max(time(action).cpuSeconds, 1e-6);
  const repeats = Math.max(1, Math.ceil(targetSeconds / single));
  return {
    run: () => {
      for (let index = 0; index < repeats; index++) action();
    },
    repeats,
  };
}
