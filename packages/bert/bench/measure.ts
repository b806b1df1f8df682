/** One contender of a benchmark: a name and a function that does one unit of work. */
export interface Contender {
  readonly name: string;
  /** Runs one repetition; returns the number of items it processed (tokens, examples, …). */
  readonly run: () => number;
}

/** Median times and throughputs of one contender. */
export interface Measurement {
  readonly name: string;
  /** Median wall-clock time of a repetition. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Items per second of wall-clock time, at the median. */
  readonly itemsPerSecond: number;
  /**
   * Median CPU time (user + system) of a repetition: on a machine shared with other jobs it
   * excludes the time the process waited for a core, so it varies much less than wall time.
   */
  readonly medianCpuMs: number;
  /** Items per second of CPU time, at the median. */
  readonly itemsPerCpuSecond: number;
  readonly runs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs the contenders side by side: `warmup` rounds first (not timed), then `runs` rounds in which
 * every contender runs once, in turn, so that a change of machine load affects all of them alike.
 * Reports each contender's median wall-clock and CPU times.
 */
export function measureSideBySide(
  contenders: readonly Contender[],
  { runs, warmup }: { runs: number; warmup: number },
): Measurement[] {
  for (let round = 0; round < warmup; round++) for (const contender of contenders) contender.run();
  const wall = contenders.map(() => [] as number[]);
  const cpu = contenders.map(() => [] as number[]);
  const items = contenders.map(() => 0);
  for (let round = 0; round < runs; round++) {
    contenders.forEach((contender, index) => {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      items[index] = contender.run();
      wall[index]!.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu[index]!.push((used.user + used.system) / 1000);
    });
  }
  return contenders.map((contender, index) => {
    const medianMs = median(wall[index]!);
    const medianCpuMs = median(cpu[index]!);
    return {
      name: contender.name,
      medianMs,
      minMs: Math.min(...wall[index]!),
      maxMs: Math.max(...wall[index]!),
      itemsPerSecond: items[index]! / (medianMs / 1000),
      medianCpuMs,
      itemsPerCpuSecond: items[index]! / (medianCpuMs / 1000),
      runs,
    };
  });
}
