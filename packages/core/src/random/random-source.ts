/**
 * A seeded source of random numbers. Every random choice in lm-objectives goes through one, so
 * that the same seed gives the same batches on every platform and backend.
 *
 * The integer-valued methods ({@link RandomSource.nextUint32}, {@link RandomSource.int},
 * {@link RandomSource.shuffle}, …) and {@link RandomSource.uniform} are bit-exact everywhere: they
 * use only 32-bit integer arithmetic and exact float64 divisions. {@link RandomSource.normal} and
 * {@link RandomSource.poisson} also call `Math.log`/`Math.cos`/`Math.exp`, which every major
 * JavaScript engine implements after fdlibm, so they agree in practice too.
 */
export interface RandomSource {
  /** The next raw 32-bit output, an integer in $[0, 2^{32})$. */
  nextUint32(): number;
  /** A uniform float in $[0, 1)$ with 53 random bits. */
  uniform(): number;
  /** A uniform integer in $[\mathrm{min}, \mathrm{max}]$, **both ends included** (like Python's `random.randint`), unbiased. */
  int(min: number, max: number): number;
  /** `true` with probability `p`. */
  bernoulli(p: number): boolean;
  /** Shuffles `items` in place (Fisher–Yates, from the end) and returns it. */
  shuffle<T, A extends { length: number; [index: number]: T }>(items: A): A;
  /** An index drawn with probability proportional to `weights[index]` (non-negative, not all zero). */
  categorical(weights: ArrayLike<number>): number;
  /** A Poisson-distributed count with mean $\lambda$: $P(k) = \lambda^k e^{-\lambda} / k!$ (Knuth's method, $0 \le \lambda \le 500$). */
  poisson(lambda: number): number;
  /** A normal sample $\mathcal{N}(\mathrm{mean}, \mathrm{std}^2)$ (Box–Muller, one sample per two uniforms). */
  normal(mean?: number, std?: number): number;
  /** An independent child source; the parent advances by two outputs. Forks of equal parents are equal. */
  fork(): RandomSource;
  /** The four 32-bit words of the state, to store in a checkpoint and resume with `createRngFromState`. */
  getState(): [number, number, number, number];
}
