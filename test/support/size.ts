/**
 * Test sizes. `npm test` runs the suite at sizes that keep it within five minutes on two cores; `npm run test:full`
 * (which CI runs too) sets TEST_FULL=1 and runs every size-parameterised test at its full size, and the files left out
 * of `npm test` (the `slow` project in vitest.config.ts).
 */
export const FULL = process.env.TEST_FULL === "1";

/** `small` in `npm test`, `full` in `npm run test:full`. */
export function sized(small: number, full: number): number {
  return FULL ? full : small;
}
