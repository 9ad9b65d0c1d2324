// The window against the demo on a simulated host, in real Chromium: what a healthy host and a
// broken one look like, keyboard use, and Check now joining a running check.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRendererOnce, launchChromium, openDemo, probeItem, screenshot, waitForResults, waitUntilIdle } from './demo-fixture.js';

let browser: Browser;
let rendererDir: string;

beforeAll(async () => {
  [browser, rendererDir] = await Promise.all([launchChromium(), buildRendererOnce()]);
});

afterAll(async () => {
  await browser?.close();
});

describe('status in the window', () => {
  it('shows a healthy host as working, every check OK in words', async () => {
    const session = await openDemo(browser, rendererDir, 'healthy');
    try {
      const { page, demo } = session;
      await waitForResults(page);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Remote Desktop is working');
      const items = page.getByRole('list', { name: 'Checks' }).getByRole('listitem');
      const titles = await items.evaluateAll((elements) => elements.map((e) => e.querySelector('h3')?.textContent));
      expect(titles).toEqual(demo.agent.getSnapshot()!.findings.map((f) => f.title));
      expect(titles.length).toBeGreaterThanOrEqual(7);
      for (const title of titles) await expect(probeItem(page, title!).locator('.badge').textContent()).resolves.toBe('✓OK');
      await expect(page.getByRole('button', { name: /^Repair/ }).count()).resolves.toBe(0);
      await expect(page.getByText(/Last checked/).textContent()).resolves.toMatch(/Last checked (just now|\d+ seconds? ago) on RDPHOST01/);
      await screenshot(page, 'healthy');
      // The token leaves the address bar once read, and a reload of the tab still reaches the agent.
      expect(new URL(page.url()).hash).toBe('');
      await page.reload();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Remote Desktop is working');
    } finally {
      await session.close();
    }
  });

  it('shows a broken host: the failing check named, in words, with its evidence on demand, keyboard only', async () => {
    const session = await openDemo(browser, rendererDir, 'cert-self-signed-expired');
    try {
      const { page } = session;
      await waitForResults(page);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Remote Desktop connections will fail');
      const certificate = probeItem(page, 'Remote Desktop certificate');
      await expect(certificate.locator('.badge').textContent()).resolves.toContain('Problem');
      await expect(certificate.locator('.summary').textContent()).resolves.toMatch(/expired/);
      const evidence = certificate.getByText('Evidence');
      await expect(certificate.locator('dl').isVisible()).resolves.toBe(false);
      // Keyboard: Tab to the disclosure, open it with Enter.
      await evidence.focus();
      await page.keyboard.press('Enter');
      await expect(certificate.locator('dl').isVisible()).resolves.toBe(true);
      await expect(certificate.getByRole('button', { name: /^Repair: / }).count()).resolves.toBeGreaterThan(0);
      await screenshot(page, 'certificate-expired');
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, 'certificate-expired-dark');
    } finally {
      await session.close();
    }
  });

  it('shows the settings the administrator set as such, and does not offer to change them', async () => {
    const session = await openDemo(browser, rendererDir, 'admin-policy');
    try {
      const { page } = session;
      await waitForResults(page);
      const form = page.locator('form.settings');
      const warnDays = form.getByLabel(/Warn this many days/);
      await expect.poll(() => warnDays.inputValue()).toBe('45, 10');
      await expect(warnDays.isDisabled()).resolves.toBe(true);
      await expect(form.getByRole('checkbox', { name: /Show notifications/ }).isDisabled()).resolves.toBe(true);
      await expect(form.getByRole('checkbox', { name: /Start at login/ }).isDisabled()).resolves.toBe(false);
      await expect(form.getByText('Set by your administrator').count()).resolves.toBe(3);
      // What the person may change still saves.
      await form.getByRole('checkbox', { name: /Start at login/ }).uncheck();
      await form.getByRole('button', { name: 'Save settings' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      expect(session.demo.agent.getSettings().startAtLogin).toBe(false);
    } finally {
      await session.close();
    }
  });

  it('Check now during a running check joins it: one cycle, one history entry', async () => {
    const session = await openDemo(browser, rendererDir, 'healthy');
    try {
      const { page, demo } = session;
      await waitForResults(page);
      // Three requests, one cycle: history grows by one entry at most, never three.
      const historyBefore = (await demo.agent.getHistory()).length;
      const checkNow = page.getByRole('button', { name: 'Check now' });
      await checkNow.click();
      await page.getByRole('status').filter({ hasText: 'Checking…' }).waitFor();
      await checkNow.click();
      // A second client (the tray, another window) asking at the same time joins too.
      const status = await page.evaluate(async (token) => {
        const response = await fetch('/api/checkNow', { method: 'POST', headers: { 'X-RDP-Health-Token': token } });
        return response.status;
      }, demo.token);
      expect(status).toBe(200);
      await waitUntilIdle(page);
      // At most one: the host checker does not check twice within a minute, and an unchanged result adds no entry.
      expect((await demo.agent.getHistory()).length).toBeLessThanOrEqual(historyBefore + 1);
    } finally {
      await session.close();
    }
  });
});
