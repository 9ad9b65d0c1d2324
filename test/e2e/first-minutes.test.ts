// What a person sees in the first minutes, in real Chromium against the demo: problems first with
// the worst named in the header, evidence as lists, history as a status strip with a range, the
// last known state at a cold start, and the agent's own problems said in plain words.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../probes/common/finding.js';
import { HistoryStore } from '../../electron/agent/history.js';
import { buildRendererOnce, launchChromium, openDemo, probeItem, screenshot, waitForResults } from './demo-fixture.js';

let browser: Browser;
let rendererDir: string;
/** A real snapshot of a broken host, reused as the history of the cold-start test. */
let broken: HealthSnapshot | undefined;

beforeAll(async () => {
  [browser, rendererDir] = await Promise.all([launchChromium(), buildRendererOnce()]);
});

afterAll(async () => {
  await browser?.close();
});

const HOUR = 3_600_000;
/** A demo start checks the simulated host in real pwsh: slow on a busy machine. */
const SLOW = 180_000;

async function seedHistory(dataDir: string, snapshot: HealthSnapshot, hoursAgo: number[]): Promise<void> {
  const store = new HistoryStore({ path: join(dataDir, 'history.jsonl') });
  for (const ago of hoursAgo) await store.append({ ...snapshot, startedAt: new Date(Date.now() - ago * HOUR).toISOString() });
}

describe('the first minutes', () => {
  it('leads with the problem: the header names it, problems come first, the passed checks fold', async () => {
    const session = await openDemo(browser, rendererDir, 'port-held-by-other-process');
    try {
      const { page, demo } = session;
      await waitForResults(page);
      broken = demo.agent.getSnapshot();
      const failing = broken!.findings.filter((f) => f.status !== 'ok');
      expect(failing.length).toBeGreaterThan(0);
      await expect(page.locator('.overall-worst').textContent()).resolves.toBe(`${failing[0]!.title}: ${failing[0]!.summary}`);
      const titles = await page.getByRole('list', { name: 'Checks', exact: true }).getByRole('listitem').evaluateAll((items) => items.map((e) => e.querySelector('h3')?.textContent));
      expect(titles).toEqual(failing.map((f) => f.title));
      const passed = broken!.findings.length - failing.length;
      const fold = page.locator('details.passed > summary');
      await expect(fold.textContent()).resolves.toBe(`${passed} checks passed`);
      await expect(page.getByRole('list', { name: 'Passed', exact: true }).isVisible()).resolves.toBe(false);
      await fold.click();
      await expect(page.getByRole('list', { name: 'Passed', exact: true }).getByRole('listitem').count()).resolves.toBe(passed);
    } finally {
      await session.close();
    }
  }, SLOW);

  it('shows evidence lists as lists, nested values as rows, thumbprints monospace; an empty list reads "none"', async () => {
    const session = await openDemo(browser, rendererDir, 'cert-self-signed-expired');
    try {
      const { page } = session;
      await waitForResults(page);
      const certificate = probeItem(page, 'Remote Desktop certificate');
      await certificate.getByText('Evidence').click();
      const evidence = certificate.locator('details.evidence');
      const text = (await evidence.textContent()) ?? '';
      expect(text).not.toMatch(/\[\s*"|"\s*\]/);
      const listed = await evidence.locator('.evidence-row', { hasText: 'Other expired certificates' }).locator('ul.evidence-list > li').allTextContents();
      expect(listed.length).toBeGreaterThan(0);
      expect(listed[0]).toMatch(/^[0-9A-F]{40} \(CN=/);
      const thumbprint = evidence.locator('.evidence-row', { hasText: 'Thumbprint' }).first().locator('dd code.copyable');
      await expect(thumbprint.textContent()).resolves.toMatch(/^[0-9A-F]{40}$/);
      await expect(thumbprint.evaluate((e) => {
        const style = e.ownerDocument.defaultView!.getComputedStyle(e);
        return [style.fontFamily, style.userSelect];
      })).resolves.toEqual([expect.stringMatching(/mono/i), 'all']);
      // Empty lists anywhere read "none", never "[]".
      expect(await page.locator('details.evidence').allTextContents()).not.toContainEqual(expect.stringContaining('[]'));
      await screenshot(page, 'evidence');
    } finally {
      await session.close();
    }
  }, SLOW);

  it('at a cold start shows the last known state at once, marked with its age, then the new check; history as a strip with a range', async () => {
    expect(broken).toBeDefined();
    const dataDir = mkdtempSync(join(tmpdir(), 'rdp-health-e2e-cold-'));
    // A day of problems, and older good checks earlier in the week.
    await seedHistory(dataDir, { ...broken!, overall: 'ok', findings: broken!.findings.map((f) => ({ ...f, status: 'ok' as const })) }, [120, 96, 72]);
    await seedHistory(dataDir, broken!, [20, 12, 6, 3]);
    const session = await openDemo(browser, rendererDir, 'healthy', { dataDir, schedule: false });
    try {
      const { page, demo } = session;
      await page.getByRole('list', { name: 'Checks', exact: true }).waitFor({ timeout: 30_000 });
      // The status (lastKnownAt) may arrive just after the first snapshot: wait for it, briefly.
      await expect.poll(() => page.locator('.checked-at').textContent(), { timeout: 10_000 }).toMatch(/^Last known state, checked 3 hours ago on RDPHOST01/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Remote Desktop connections will fail');

      const strip = page.getByRole('list', { name: 'Health over time' });
      await expect(strip.getByRole('listitem').count()).resolves.toBe(4);
      await page.getByRole('radio', { name: 'Last week' }).check();
      await expect(strip.getByRole('listitem').count()).resolves.toBe(7);
      const cells = strip.getByRole('listitem');
      await expect(cells.evaluateAll((items) => items.map((e) => e.className))).resolves.toEqual([...Array(3).fill('cell cell-ok'), ...Array(4).fill('cell cell-fail')]);
      // One tab stop, arrow keys between cells; the focused cell's summary is read out.
      await cells.last().focus();
      await page.keyboard.press('Home');
      await expect(page.locator('.strip-focus').textContent()).resolves.toMatch(/: OK — every check passed$/);
      await page.keyboard.press('End');
      await expect(page.locator('.strip-focus').textContent()).resolves.toMatch(/: Problem — /);
      expect((await page.locator('.strip-axis span').allTextContents()).length).toBeGreaterThanOrEqual(6);
      await screenshot(page, 'history');

      // The check of this start replaces it.
      await demo.agent.checkNow();
      await expect.poll(() => page.locator('.checked-at').textContent(), { timeout: 30_000 }).toMatch(/^Last checked (just now|\d+ seconds? ago)/);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Remote Desktop is working');
    } finally {
      await session.close();
    }
  }, SLOW);

  it("says the agent's own problems in plain words: a damaged settings file, a data folder it cannot write", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rdp-health-e2e-problems-'));
    writeFileSync(join(dataDir, 'settings.json'), '{ this is not json');
    // Even root cannot append to a directory: the history file cannot be written.
    mkdirSync(join(dataDir, 'history.jsonl'));
    const session = await openDemo(browser, rendererDir, 'healthy', { dataDir, schedule: false });
    try {
      const { page } = session;
      const problems = page.getByRole('region', { name: 'Problems with RDP Health' });
      await problems.waitFor({ timeout: 30_000 });
      const texts = await problems.getByRole('status').allTextContents();
      expect(texts).toEqual([
        expect.stringMatching(/^Your settings were reset\. The settings file was damaged; it was kept as .*settings\.json\.corrupt-.* and the defaults are used\./),
        expect.stringMatching(/^RDP Health cannot save its data\. RDP Health cannot save in its data folder .* \(EISDIR\): the history is not kept/),
      ]);
      await problems.getByRole('button', { name: 'Dismiss' }).first().click();
      await expect(problems.getByRole('status').count()).resolves.toBe(1);
    } finally {
      await session.close();
    }
  }, SLOW);
});
