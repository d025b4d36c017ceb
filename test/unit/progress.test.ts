/** withProgress: the one way a step is shown (e2e runs, kwok cluster creation). */
import { expect, it } from "vitest";
import { type Progress, withProgress } from "../../src/log.js";

function recording(): { progress: Progress; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    progress: {
      start: (title) => {
        seen.push(`start ${title}`);
        return { succeed: () => seen.push(`ok ${title}`), fail: () => seen.push(`fail ${title}`) };
      },
    },
  };
}

it("shows a step that ends well as succeeded and passes its value on", async () => {
  const r = recording();
  expect(await withProgress(r.progress, "install", async () => 42)).toBe(42);
  expect(r.seen).toEqual(["start install", "ok install"]);
});

it("shows a step that throws as failed and passes the error on unchanged", async () => {
  const r = recording();
  const boom = new Error("boom");
  await expect(
    withProgress(r.progress, "install", async () => {
      throw boom;
    }),
  ).rejects.toBe(boom);
  expect(r.seen).toEqual(["start install", "fail install"]);
});
