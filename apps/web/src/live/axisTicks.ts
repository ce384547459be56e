// Ticks for the live charts' value axes: whole steps of 1, 2 or 5 × 10ⁿ from zero, so two
// connections read 0, 1, 2 (never 0, 0, 1, 1 from rounding 0, 0.5, 1, 1.5), and never two ticks
// that print the same once formatted (1.0 k, 1.0 k). Pure, so the rule is tested on its own.

export interface ValueAxis {
  /** The top of the scale: the last tick, a multiple of the step. */
  top: number;
  ticks: number[];
}

/** Headroom above the largest value, so a line at the maximum does not run along the frame. */
const HEADROOM = 1.05;

/**
 * The axis for values up to `max` (null or ≤ 0: nothing to show yet): at most `maxTicks` ticks,
 * the smallest step that fits, each label distinct under `format`.
 */
export function valueAxis(
  max: number | null,
  maxTicks: number,
  format: (value: number) => string,
): ValueAxis {
  return axisUpTo(max != null && max > 0 ? max * HEADROOM : 0, maxTicks, format);
}

/** The ticks of a scale already set to valueAxis's `top` (what uPlot asks the axis for). */
export function ticksUpTo(top: number, maxTicks: number, format: (value: number) => string) {
  return axisUpTo(top, maxTicks, format).ticks;
}

function axisUpTo(want: number, maxTicks: number, format: (value: number) => string): ValueAxis {
  const limit = Math.max(2, Math.floor(maxTicks));
  let last: ValueAxis = { top: 1, ticks: [0, 1] };
  for (let exponent = 0; exponent <= 18; exponent++) {
    for (const mantissa of [1, 2, 5]) {
      const step = mantissa * 10 ** exponent;
      const top = Math.max(step, Math.ceil(want / step - 1e-9) * step);
      const count = Math.round(top / step) + 1;
      if (count > limit) continue;
      const ticks = Array.from({ length: count }, (_, i) => i * step);
      last = { top, ticks };
      if (new Set(ticks.map(format)).size === ticks.length) return last;
    }
  }
  return last;
}
