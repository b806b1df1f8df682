import { describe, expect, it } from 'vitest';
import { createLearningRateSchedule } from './learning-rate-schedule';

describe('createLearningRateSchedule', () => {
  it('warms up linearly from the first step, then follows a cosine to the floor (hand-computed)', () => {
    const schedule = createLearningRateSchedule({
      peak: 1,
      warmupSteps: 4,
      totalSteps: 12,
      minimum: 0.2,
    });
    // Warmup: (s + 1)/4.
    expect([0, 1, 2, 3].map(schedule)).toEqual([0.25, 0.5, 0.75, 1]);
    // Decay: p = (s − 4)/8; 0.2 + 0.8 · (1 + cos πp)/2.
    expect(schedule(4)).toBe(1);
    expect(schedule(6)).toBeCloseTo(0.2 + 0.8 * 0.5 * (1 + Math.SQRT1_2), 12); // p = 1/4
    expect(schedule(8)).toBeCloseTo(0.6, 12); // p = 1/2
    expect(schedule(11)).toBeCloseTo(0.2 + 0.8 * 0.5 * (1 + Math.cos((7 * Math.PI) / 8)), 12);
    expect(schedule(12)).toBeCloseTo(0.2, 12);
    expect(schedule(500)).toBeCloseTo(0.2, 12); // stays at the floor
  });

  it('decays linearly with decay: linear, and holds the peak with decay: constant', () => {
    const linear = createLearningRateSchedule({ peak: 0.1, totalSteps: 10, decay: 'linear' });
    expect([0, 5, 9, 10].map(linear)).toEqual(
      [0.1, 0.05, 0.1 * 0.1, 0].map((value) => expect.closeTo(value, 12)),
    );
    const constant = createLearningRateSchedule({
      peak: 0.1,
      totalSteps: 10,
      warmupSteps: 2,
      decay: 'constant',
    });
    expect([0, 1, 2, 50].map(constant)).toEqual([0.05, 0.1, 0.1, 0.1]);
  });

  it("warmupFrom: 'zero' reproduces Hugging Face's schedules (first update at rate 0)", () => {
    const schedule = createLearningRateSchedule({
      peak: 2,
      warmupSteps: 4,
      totalSteps: 8,
      decay: 'linear',
      warmupFrom: 'zero',
    });
    // get_linear_schedule_with_warmup: s/W during warmup, then (T − s)/(T − W).
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(schedule)).toEqual([0, 0.5, 1, 1.5, 2, 1.5, 1, 0.5]);
  });

  it('refuses invalid options and steps with the argument named', () => {
    expect(() => createLearningRateSchedule({ peak: 0, totalSteps: 10 })).toThrow(
      /createLearningRateSchedule: argument 'options.peak' is invalid/,
    );
    expect(() => createLearningRateSchedule({ peak: 1, totalSteps: 10, warmupSteps: 11 })).toThrow(
      /options.warmupSteps/,
    );
    expect(() => createLearningRateSchedule({ peak: 1, totalSteps: 10, minimum: 2 })).toThrow(
      /options.minimum/,
    );
    expect(() =>
      createLearningRateSchedule({ peak: 1, totalSteps: 10, decay: 'exponential' as 'linear' }),
    ).toThrow(/options.decay/);
    const schedule = createLearningRateSchedule({ peak: 1, totalSteps: 10 });
    expect(() => schedule(-1)).toThrow(/LearningRateSchedule: argument 'step' is invalid/);
  });
});
