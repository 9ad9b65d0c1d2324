/**
 * End-to-end fixture: the real demo server (agent on the simulated host, simulated UAC) started per
 * test with a fresh data folder, driven through Debian's Chromium with playwright-core. No
 * browser is ever downloaded. The renderer is built once per test file into a temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { buildRenderer } from '../../electron/demo/build-renderer.js';
import { startDemoServer, type DemoServer } from '../../electron/demo/server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const root = join(import.meta.dirname, '../..');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function buildRendererOnce(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'rdp-health-renderer-'));
  return buildRenderer(outDir);
}

export interface DemoSession {
  demo: DemoServer;
  page: Page;
  close(): Promise<void>;
}

export async function openDemo(browser: Browser, rendererDir: string, scenario: string, options: { declineElevation?: boolean; colorScheme?: 'light' | 'dark'; dataDir?: string; schedule?: boolean } = {}): Promise<DemoSession> {
  // A data folder given by the test (prepared history, settings) is removed at close like a fresh one.
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `rdp-health-e2e-${basename(scenario, '.json')}-`));
  const demo = await startDemoServer({ scenario, rendererDir, dataDir, ...(options.declineElevation ? { declineElevation: true } : {}), ...(options.schedule === false ? { schedule: false } : {}) });
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(demo.url);
  return {
    demo,
    page,
    async close() {
      await context.close();
      await demo.close();
      rmSync(dataDir, { recursive: true, force: true });
      // The page must not have logged errors (CSP violations show up here too).
      if (problems.length > 0) throw new Error(`The page reported errors:\n${problems.join('\n')}`);
    },
  };
}

/** Waits until the first snapshot is on screen and no check is running. */
export async function waitForResults(page: Page): Promise<void> {
  await page.getByRole('list', { name: 'Checks' }).waitFor({ timeout: 90_000 });
  await waitUntilIdle(page);
}

export async function waitUntilIdle(page: Page): Promise<void> {
  await page.locator('#check-progress', { hasNotText: 'Checking' }).waitFor({ state: 'attached', timeout: 90_000 });
}

export function probeItem(page: Page, title: string): Locator {
  return page.getByRole('listitem', { name: title, exact: true });
}

/** Saves a screenshot under test-results/screenshots, and docs/screenshots when UPDATE_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const dirs = [join(root, 'test-results/screenshots'), ...(process.env.UPDATE_SCREENSHOTS === '1' ? [join(root, 'docs/screenshots')] : [])];
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: options.fullPage ?? true, animations: 'disabled' });
  }
}
