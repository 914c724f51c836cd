import { describe, expect, test } from "vitest";
import { moreLabel, nextStep, ROWS_PER_STEP } from "./reveal";

describe("long lists", () => {
  test("each step adds a page of rows and never more than there are", () => {
    expect(nextStep(ROWS_PER_STEP, 1000)).toBe(2 * ROWS_PER_STEP);
    expect(nextStep(ROWS_PER_STEP, 70)).toBe(70);
    expect(nextStep(70, 70)).toBe(70);
  });

  test("the button says how many come next and how many are left", () => {
    expect(moreLabel(50, 1000)).toBe("Show 50 more (950 not shown)");
    expect(moreLabel(50, 63)).toBe("Show 13 more (13 not shown)");
  });
});
