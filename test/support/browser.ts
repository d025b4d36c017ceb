/**
 * Debian's Chromium driven by playwright-core (never a browser build of Playwright's own):
 * headless, with a fresh profile directory, and with every background connection Chromium
 * would make to Google's hosts turned off (this machine reaches loopback only).
 */
import type { BrowserContext } from "playwright-core";
import { findTool } from "../helpers/tools.js";
import { tempDir } from "./temp.js";

/** The flags every launch uses, besides the headless mode Playwright sets. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A running browser and its removal (profile included). */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with a new, empty profile. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findTool("chromium");
  if (!executablePath) throw new Error("chromium is not installed: run scripts/install-tools");
  const { chromium } = await import("playwright-core");
  const profile = await tempDir("chromium-profile");
  try {
    const context = await chromium.launchPersistentContext(profile.path, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1400, height: 900 },
    });
    return {
      context,
      close: async () => {
        await context.close();
        await profile.remove();
      },
    };
  } catch (err) {
    await profile.remove();
    throw err;
  }
}
