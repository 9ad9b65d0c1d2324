// The "Connect to a computer" view in real Chromium against the demo on a simulated Windows 11 Home
// laptop: the window leads with it (this PC is no RDP host), its host checks say so instead of
// failing, the user's RDP history is listed, and checking a computer gives a verdict with the side
// at fault. The network part goes to a 127.0.0.1 server this test starts (it closes every
// connection at once), so no real host is needed.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRendererOnce, launchChromium, openDemo, probeItem, screenshot, waitForResults } from './demo-fixture.js';

let browser: Browser;
let rendererDir: string;
let closer: Server;

beforeAll(async () => {
  closer = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => closer.listen(0, '127.0.0.1', () => resolve()));
  [browser, rendererDir] = await Promise.all([launchChromium(), buildRendererOnce()]);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => closer?.close(resolve));
});

describe('Connect to a computer', () => {
  it('on a PC that is not an RDP host: leads with the Connect view, lists the history, and checks a computer', async () => {
    const session = await openDemo(browser, rendererDir, 'client-windows11-home');
    try {
      const { page, demo } = session;
      await waitForResults(page);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('This PC does not accept Remote Desktop connections');
      expect(demo.agent.getSnapshot()!.notAnRdpHost).toMatch(/Home edition/);
      await expect(probeItem(page, 'Remote Desktop listener').locator('.summary').textContent()).resolves.toMatch(/^This PC does not accept Remote Desktop connections: this is a Home edition/);
      await expect(page.locator('.probe-fail').count()).resolves.toBe(0);
      // The Connect view comes before the host checks.
      const order = await page.locator('main section h2').allTextContents();
      expect(order.indexOf('Connect to a computer')).toBeLessThan(order.indexOf('Checks'));

      const connect = page.getByRole('region', { name: 'Connect to a computer' });
      const history = connect.getByRole('list', { name: 'Computers you connected to' });
      await history.getByRole('listitem').first().waitFor({ timeout: 60_000 });
      await expect(history.getByRole('listitem').locator('h4').allTextContents()).resolves.toEqual(['rdphost01.contoso.com', '10.20.0.15', 'oldserver:3390']);
      await expect(history.getByRole('listitem', { name: 'rdphost01.contoso.com' }).textContent()).resolves.toContain('signs in as CONTOSO\\alice');
      await expect(connect.getByRole('list', { name: 'Remote Desktop files that could not be used' }).textContent()).resolves.toContain('broken.rdp');

      // A typed target that is not a computer name is refused before anything runs.
      const field = connect.getByLabel(/Computer name or address/);
      await field.fill('host; calc.exe');
      await connect.getByRole('button', { name: 'Check', exact: true }).click();
      await expect(connect.getByRole('alert').textContent()).resolves.toMatch(/no spaces/);

      const port = (closer.address() as AddressInfo).port;
      await field.fill(`127.0.0.1:${port}`);
      await connect.getByRole('button', { name: 'Check', exact: true }).click();
      const result = connect.getByRole('region', { name: `Result for 127.0.0.1:${port}` });
      await result.locator('.verdict').waitFor({ timeout: 60_000 });
      await expect(result.locator('.side').textContent()).resolves.toBe('At fault: the host (the computer you connect to)');
      await expect(result.locator('.badge').textContent()).resolves.toContain('Problem');
      await expect(result.locator('.summary').textContent()).resolves.toMatch(/does not speak Remote Desktop/);
      await result.getByText('Evidence').click();
      await expect(result.locator('dl').first().textContent()).resolves.toContain(`TCP port ${port}`);
      // This PC's settings came from the simulated laptop.
      await expect(result.locator('dl').first().textContent()).resolves.toContain('does not accept Remote Desktop connections: this is a Home edition');
      await screenshot(page, 'connect-not-a-host');
    } finally {
      await session.close();
    }
  });
});
