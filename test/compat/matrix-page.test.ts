/**
 * `shoppe matrix` and its page in a real browser: the matrix of two releases (a passing, a
 * failing, a skipped and a stand-in cell in the current one; history from the tagged one) is
 * served from a loopback HTTP server and opened in Debian's Chromium through playwright-core.
 * The page loads, its tables are real tables with scoped headers, a failing cell reads as
 * failing to assistive technology, and every link resolves. With SHOPPE_UPDATE_SCREENSHOT=1
 * the test also writes docs/images/compat-matrix.png.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { describeWithTools, ROOT } from "../helpers/tools.js";
import { type Browser, launchChromium } from "../support/browser.js";
import { type StaticSite, serveDirectory } from "../support/static-site.js";
import { type CompatProject, compatProject } from "./compat-project.js";

const CAPTION = "demo-stack 0.2.0: components by Kubernetes version";

/** The text as rendered (Playwright's innerText, not the DOM property the lint rule means). */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees.
const shown = (l: Locator) => l.innerText();

describeWithTools("shoppe matrix: the page in Chromium", ["chromium"], () => {
  let p: CompatProject;
  let site: StaticSite;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    p = await compatProject();
    const r = await runCli(["matrix", p.current, p.previous, "-o", "site"], p.root);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    site = await serveDirectory(path.join(p.root, "site"));
    browser = await launchChromium();
    page = await browser.context.newPage();
    const response = await page.goto(`${site.url}/`);
    expect(response?.status()).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await p?.dir.remove();
  });

  it("loads, with a real table per release and one for the history", async () => {
    expect(await page.title()).toBe("demo-stack compatibility matrix");
    const captions = await page.locator("table > caption").allInnerTexts();
    expect(captions).toEqual([
      "Every release of demo-stack: the whole stack by Kubernetes minor",
      CAPTION,
      "demo-stack 0.1.0: components by Kubernetes version",
    ]);
    const table = page.getByRole("table", { name: CAPTION });
    const cols = await table.locator('thead th[scope="col"]').allInnerTexts();
    expect(cols).toEqual(["Component", "Kubernetes 1.34.13", "Kubernetes 1.35.4", "All versions"]);
    const rows = await table.getByRole("rowheader").allInnerTexts();
    expect(rows).toEqual([
      "demo-stack (whole stack)",
      "Alpha",
      "Beta",
      "Gamma",
      "Delta",
      "Integration",
    ]);
  });

  it("says each state in words: a failing cell reads as failing", async () => {
    const table = page.getByRole("table", { name: CAPTION });
    const cell = (row: string, col: number) =>
      table
        .getByRole("row", { name: new RegExp(`^${row}\\b`) })
        .getByRole("cell")
        .nth(col);
    const beta = cell("Beta", 1);
    // The cell's accessible name, as a screen reader announces it, starts with its state.
    expect(await beta.ariaSnapshot()).toMatch(
      /^- '?cell "failing at control-plane beta: not ready/,
    );
    expect(await shown(beta)).toContain("ImagePullBackOff (image example.org/demo/beta:1.0)");
    expect(await shown(cell("Beta", 0))).toMatch(/^passing at cluster/);
    expect(await shown(cell("Gamma", 1))).toMatch(
      /^partial at control-plane\n[\s\S]*check gamma-answers skipped: pods are simulated/,
    );
    expect(await shown(cell("Delta", 1))).toMatch(/^partial at control-plane \(stand-in\)/);
    expect(await shown(cell("Alpha", 1))).toMatch(/^passing at control-plane/);
    // The colour repeats the words; it is not the only cue.
    const colours = await Promise.all(
      [cell("Beta", 1), cell("Alpha", 1)].map((c) =>
        c.evaluate((el) => {
          // Runs in the page; this project's types have no DOM library.
          const w = globalThis as unknown as {
            getComputedStyle(e: unknown): { backgroundColor: string };
          };
          return w.getComputedStyle(el).backgroundColor;
        }),
      ),
    );
    expect(colours[0]).not.toBe(colours[1]);
  });

  it("resolves every link, from the history to the diagnostics bundles", async () => {
    // Resolved against the page's URL by the browser, as a click would.
    const hrefs = await page
      .locator("a[href]")
      .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(hrefs.length).toBeGreaterThan(15);
    expect(hrefs).toContain(`${site.url}/runs/0.2.0/1.35.4-kwok-run-kwok-1.35.4/bundle.tar.gz`);
    for (const href of new Set(hrefs)) {
      const url = new URL(href);
      if (url.hash && url.pathname === "/") {
        const id = decodeURIComponent(url.hash.slice(1));
        expect(await page.locator(`[id="${id}"]`).count(), href).toBe(1);
        continue;
      }
      const res = await page.request.get(href);
      expect(res.status(), href).toBe(200);
    }
    const served = await readFile(
      path.join(p.root, "site/runs/0.2.0/1.35.4-kwok-run-kwok-1.35.4/results.json"),
      "utf8",
    );
    expect(JSON.parse(served).runId).toBe("run-kwok-1.35.4");
  });

  it("takes a screenshot", async () => {
    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    if (process.env.SHOPPE_UPDATE_SCREENSHOT === "1") {
      await page.screenshot({
        fullPage: true,
        path: path.join(ROOT, "docs/images/compat-matrix.png"),
      });
    }
  });
});
