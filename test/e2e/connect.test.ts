// The "Connect to a computer" view in real Chromium against the demo on a simulated Windows 11 Home
// laptop: the window leads with it (this PC is no RDP host), its host checks say so instead of
// failing, the user's RDP history is listed, and checking a computer gives a verdict with the side
// at fault. The network part goes to 127.0.0.1 servers this test starts (one closes every
// connection at once, one speaks only TLS 1.2, which this laptop turned off: a fix on this PC,
// repaired through the repair dialog), so no real host is needed.
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRdpServer, type FakeRdpServer } from '../integration/handshake/fake-rdp-server.js';
import { selfSignedCertificate } from '../integration/handshake/openssl-certificates.js';
import { buildRendererOnce, launchChromium, openDemo, probeItem, screenshot, waitForResults } from './demo-fixture.js';

let browser: Browser;
let rendererDir: string;
let closer: Server;
let tls12Host: FakeRdpServer;
const certDir = mkdtempSync(join(tmpdir(), 'connect-e2e-'));

beforeAll(async () => {
  closer = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => closer.listen(0, '127.0.0.1', () => resolve()));
  const cert = await selfSignedCertificate(certDir, 'tls12only', 30, 'IP:127.0.0.1');
  tls12Host = await startFakeRdpServer({ kind: 'tls', key: await readFile(cert.key, 'utf8'), cert: await readFile(cert.certificate, 'utf8'), maxVersion: 'TLSv1.2' });
  [browser, rendererDir] = await Promise.all([launchChromium(), buildRendererOnce()]);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => closer?.close(resolve));
  await tls12Host?.stop();
  await rm(certDir, { recursive: true, force: true });
});

describe('Connect to a computer', () => {
  it('on a PC that is not an RDP host: leads with the Connect view, lists the history, and checks a computer', async () => {
    // client-windows11-home with TLS 1.2 turned off for the Schannel client.
    const session = await openDemo(browser, rendererDir, 'client-tls12-disabled');
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

      // A fix on this PC: the verdict offers it, the repair dialog runs it, the computer is checked again.
      await field.fill(`127.0.0.1:${tls12Host.port}`);
      await connect.getByRole('button', { name: 'Check', exact: true }).click();
      const fixable = connect.getByRole('region', { name: `Result for 127.0.0.1:${tls12Host.port}` });
      await fixable.locator('.verdict').waitFor({ timeout: 60_000 });
      await expect(fixable.locator('.side').textContent()).resolves.toBe('At fault: this PC');
      await fixable.getByRole('button', { name: /^Repair: Turn TLS 1\.2 back on/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Continue as administrator' }).click();
      const outcome = dialog.getByRole('heading', { level: 3 });
      await outcome.waitFor({ timeout: 90_000 });
      expect(await outcome.textContent()).toBe('Fixed');
      expect(demo.elevator.requests.map((request) => request.script)).toEqual(['client/Repair-RdpClientTls.ps1']);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => fixable.locator('.side').textContent(), { timeout: 60_000 }).not.toBe('At fault: this PC');
      await expect(fixable.getByRole('button', { name: /^Repair: / }).count()).resolves.toBe(0);
    } finally {
      await session.close();
    }
  });
});
