// The built app itself, on Windows (the Windows workflow builds and installs it, then sets
// RDPHEALTH_ELECTRON_APP to the installed "RDP Health.exe"). Electron cannot be downloaded on our
// Linux machines, so here the test is listed as skipped with the reason in its name.
//
// The fuses turn off --inspect, so Playwright's _electron.launch cannot attach; the window is
// reached over the Chromium DevTools protocol instead (--remote-debugging-port is a Chromium
// switch, not a Node one), and the app is quit through its own path: a second start with --quit.
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, waitForResults } from './demo-fixture.js';

const app = process.env.RDPHEALTH_ELECTRON_APP;

/** The DevTools address the app prints on stderr once its browser process is up. */
function devToolsEndpoint(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`No DevTools address within ${timeoutMs} ms; stderr: ${seen.slice(-500)}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`The app exited (${code}) before it listened; stderr: ${seen.slice(-500)}`)));
  });
}

async function windowByTitle(browser: Browser, title: string, timeoutMs: number): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const context of browser.contexts()) {
      for (const page of context.pages()) if ((await page.title()) === title) return page;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`No window titled "${title}" within ${timeoutMs} ms.`);
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The app was still running ${timeoutMs} ms after --quit.`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('the built Electron app', () => {
  it.skipIf(!app)('starts, shows the real host, keeps Node out of the page and quits through its own path (needs RDPHEALTH_ELECTRON_APP: set by the Windows workflow)', async () => {
    const child = spawn(app!, ['--remote-debugging-port=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let browser: Browser | undefined;
    try {
      browser = await chromium.connectOverCDP(await devToolsEndpoint(child, 60_000));
      const page = await windowByTitle(browser, 'RDP Health', 60_000);
      await waitForResults(page);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/\S/);
      await screenshot(page, 'electron-app');
      const reach = await page.evaluate(() => ({
        bridge: typeof (globalThis as { rdpHealth?: unknown }).rdpHealth,
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
      }));
      expect(reach).toEqual({ bridge: 'object', require: 'undefined', process: 'undefined' });
      await browser.close().catch(() => {});
      browser = undefined;
      const quitStartedAt = Date.now();
      spawn(app!, ['--quit'], { stdio: 'ignore' });
      await exited(child, 5_000);
      expect(Date.now() - quitStartedAt).toBeLessThan(5_000);
    } finally {
      await browser?.close().catch(() => {});
      if (child.exitCode === null) child.kill();
    }
  }, 180_000);
});
