// Repairs end to end: the window's Repair → preview → confirmation → simulated UAC → the real fix
// script changing the simulated host → a new check → the verified result; Undo; a declined prompt;
// the warning for a fix that lowers security; Repair all safe problems.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRendererOnce, launchChromium, openDemo, probeItem, screenshot, waitForResults, type DemoSession } from './demo-fixture.js';

let browser: Browser;
let rendererDir: string;

beforeAll(async () => {
  [browser, rendererDir] = await Promise.all([launchChromium(), buildRendererOnce()]);
});

afterAll(async () => {
  await browser?.close();
});

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
// By CSS, not role: a check that passed may sit in the folded "N checks passed" list, still in the page.
const badge = (page: Page, title: string) => page.locator(`li.probe:has(h3:text-is(${JSON.stringify(title)}))`).locator('.badge').textContent();
const dialog = (page: Page) => page.getByRole('dialog');

async function withDemo(scenario: string, options: { declineElevation?: boolean }, body: (session: DemoSession) => Promise<void>): Promise<void> {
  const session = await openDemo(browser, rendererDir, scenario, options);
  try {
    await waitForResults(session.page);
    await body(session);
  } finally {
    await session.close();
  }
}

/** Repair → the confirmation listing the preview's changes. */
async function openRepair(page: Page, probeTitle: string, fixTitle: RegExp): Promise<void> {
  await probeItem(page, probeTitle).getByRole('button', { name: fixTitle }).click();
  await dialog(page).getByRole('button', { name: 'Continue as administrator' }).waitFor({ timeout: 60_000 });
}

describe('repairs in the window', () => {
  it('repairs after confirmation, shows the verified result, and Undo restores the problem', async () => {
    await withDemo('security-layer-rdp-with-nla', {}, async ({ page, demo }) => {
      expect(await heading(page)).toBe('Remote Desktop connections will fail');
      expect(await badge(page, 'Security layer')).toContain('Problem');

      await openRepair(page, 'Security layer', /^Repair: Use the Negotiate security layer/);
      const changes = await dialog(page).getByRole('list', { name: 'Changes' }).getByRole('listitem').allTextContents();
      expect(changes.length).toBeGreaterThan(0);
      expect(changes.join('\n')).toMatch(/security layer/i);
      await expect(dialog(page).getByRole('note').count()).resolves.toBe(0);
      await screenshot(page, 'repair-confirm', { fullPage: false });

      await dialog(page).getByRole('button', { name: 'Continue as administrator' }).click();
      const result = dialog(page).getByRole('heading', { level: 3 });
      await result.waitFor({ timeout: 90_000 });
      expect(await result.textContent()).toBe('Fixed');
      expect(await dialog(page).textContent()).toMatch(/Now: OK/);
      expect(demo.elevator.requests.map((r) => r.kind)).toEqual(['fix']);
      await screenshot(page, 'repair-fixed', { fullPage: false });

      // The window behind the dialog already shows the new check.
      await expect.poll(() => badge(page, 'Security layer'), { timeout: 30_000 }).toContain('OK');
      await expect.poll(() => heading(page)).toBe('Remote Desktop is working');

      await dialog(page).getByRole('button', { name: 'Undo' }).click();
      await dialog(page).getByText(/^Undone: /).waitFor({ timeout: 90_000 });
      expect(demo.elevator.requests.map((r) => r.kind)).toEqual(['fix', 'undo']);
      await dialog(page).getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => badge(page, 'Security layer'), { timeout: 60_000 }).toContain('Problem');
      expect(await heading(page)).toBe('Remote Desktop connections will fail');
    });
  });

  it('renews an expired self-signed certificate: Repair → confirm → OK after verification', async () => {
    await withDemo('cert-self-signed-expired', {}, async ({ page }) => {
      await openRepair(page, 'Remote Desktop certificate', /^Repair: /);
      await dialog(page).getByRole('button', { name: 'Continue as administrator' }).click();
      const result = dialog(page).getByRole('heading', { level: 3 });
      await result.waitFor({ timeout: 90_000 });
      expect(await result.textContent()).toBe('Fixed');
      await dialog(page).getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => badge(page, 'Remote Desktop certificate'), { timeout: 30_000 }).toContain('OK');
    });
  });

  it('says "nothing was changed" when administrator approval is declined, and nothing was', async () => {
    await withDemo('security-layer-rdp-with-nla', { declineElevation: true }, async ({ page, demo }) => {
      await openRepair(page, 'Security layer', /^Repair: Use the Negotiate security layer/);
      await dialog(page).getByRole('button', { name: 'Continue as administrator' }).click();
      const result = dialog(page).getByRole('heading', { level: 3 });
      await result.waitFor({ timeout: 60_000 });
      expect(await result.textContent()).toBe('Cancelled');
      expect(await dialog(page).textContent()).toContain('nothing was changed');
      await expect(dialog(page).getByRole('button', { name: 'Undo' }).count()).resolves.toBe(0);
      expect(demo.elevator.requests).toHaveLength(1);
      await screenshot(page, 'repair-declined', { fullPage: false });
      await dialog(page).getByRole('button', { name: 'Close' }).click();
      // A fresh check of the simulated host still finds the problem.
      const snapshot = await demo.agent.checkNow();
      expect(snapshot.findings.find((f) => f.probeId === 'security-layer')?.status).toBe('fail');
    });
  });

  it('warns plainly before a fix that lowers security, and Cancel runs nothing', async () => {
    await withDemo('security-layer-rdp-with-nla', {}, async ({ page, demo }) => {
      const risky = probeItem(page, 'Network Level Authentication');
      expect(await risky.locator('.risk').textContent()).toBe('Lowers security');
      await openRepair(page, 'Network Level Authentication', /^Repair: Turn off Network Level Authentication/);
      const warning = dialog(page).getByRole('note', { name: 'Security warning' });
      expect(await warning.textContent()).toMatch(/^This lowers security\./);
      await screenshot(page, 'repair-lowers-security', { fullPage: false });
      await dialog(page).getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog(page).count()).resolves.toBe(0);
      expect(demo.elevator.requests).toEqual([]);
    });
  });

  it('lists the sessions a fix would drop, before anything runs', async () => {
    // Moved port: Remote Desktop listens on 3389 while the setting says 3390; only a restart helps.
    const scenario = join(mkdtempSync(join(tmpdir(), 'scenario-')), 'port-moved.json');
    writeFileSync(scenario, JSON.stringify({ description: 'PortNumber changed, service not restarted', extends: 'healthy', patch: { registry: { 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp': { PortNumber: 3390 } } } }));
    await withDemo(scenario, {}, async ({ page, demo }) => {
      expect(await probeItem(page, 'Remote Desktop listener').locator('.risk').textContent()).toBe('Drops active sessions');
      await openRepair(page, 'Remote Desktop listener', /^Repair: Restart Remote Desktop Services/);
      const warning = dialog(page).getByRole('note', { name: 'Sessions warning' });
      expect(await warning.textContent()).toMatch(/^This drops active sessions\./);
      const sessions = await warning.getByRole('list', { name: 'Sessions that will be dropped' }).getByRole('listitem').allTextContents();
      expect(sessions).toEqual([expect.stringMatching(/session 2/)]);
      await screenshot(page, 'repair-drops-sessions', { fullPage: false });
      await dialog(page).getByRole('button', { name: 'Cancel' }).click();
      expect(demo.elevator.requests).toEqual([]);
    });
  });

  it('lists in "Repair all" exactly what runs: one fix per problem, and says how many prompts follow', async () => {
    await withDemo('security-layer-rdp-with-nla', {}, async ({ page, demo }) => {
      await page.getByRole('button', { name: 'Repair all safe problems' }).click();
      const listed = await dialog(page).getByRole('list', { name: 'Repairs' }).getByRole('listitem').allTextContents();
      expect(listed).toHaveLength(1);
      expect(await dialog(page).getByText(/Windows will ask for administrator approval/).textContent()).toBe('Windows will ask for administrator approval.');
      await dialog(page).getByRole('button', { name: 'Continue as administrator' }).click();
      const results = dialog(page).getByRole('list', { name: 'Results' });
      await results.waitFor({ timeout: 90_000 });
      const lines = await results.getByRole('listitem').allTextContents();
      expect(lines).toHaveLength(1);
      expect(lines.join('\n')).not.toMatch(/Not run/);
      expect(demo.elevator.requests.map((r) => r.fixId)).toEqual(['security-layer.set-negotiate']);
    });
  });

  it('repairs all safe problems in one go', async () => {
    await withDemo('tls12-disabled', {}, async ({ page, demo }) => {
      await page.getByRole('button', { name: 'Repair all safe problems' }).click();
      const listed = await dialog(page).getByRole('list', { name: 'Repairs' }).getByRole('listitem').allTextContents();
      expect(listed).toEqual([expect.stringMatching(/^Turn TLS 1\.2 back on/)]);
      await dialog(page).getByRole('button', { name: 'Continue as administrator' }).click();
      const results = dialog(page).getByRole('list', { name: 'Results' });
      await results.waitFor({ timeout: 150_000 });
      expect(await results.textContent()).toMatch(/Turn TLS 1\.2 back on.*: Fixed\./);
      expect(demo.elevator.requests.map((r) => r.fixId)).toEqual(['tls.enable-tls12']);
      await dialog(page).getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => badge(page, 'TLS versions'), { timeout: 60_000 }).toContain('OK');
    });
  }, 240_000);
});
