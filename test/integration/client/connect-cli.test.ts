/** `rdp-health connect` through the command table: arguments, exit codes as `check`, the JSON shape. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
}

/** A port that refuses: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('rdp-health connect', () => {
  it('a usage mistake is exit code 3 and says what is wrong', async () => {
    const run = capture();
    expect(await main(['connect'], run.io)).toBe(3);
    expect(run.err.join('\n')).toContain('name the computer to connect to');
    expect(await main(['connect', 'http://x/'], run.io)).toBe(3);
  });

  it('a refused port is a fail (exit 2) that names the host as the side at fault, as JSON', async () => {
    if (process.platform === 'win32') return;
    const run = capture();
    const code = await main(['connect', `127.0.0.1:${await closedPort()}`, '--json'], run.io);
    expect(code).toBe(2);
    const report = JSON.parse(run.out.join('')) as { status: string; side: string; summary: string; evidence: Record<string, unknown> };
    expect(report.status).toBe('fail');
    expect(report.side).toBe('host');
    expect(report.summary).toMatch(/^Nothing accepts Remote Desktop connections on port \d+ of 127\.0\.0\.1/);
    // Not Windows, no --simulate: this PC's settings are not read, and nothing is blamed on them.
    expect(report.evidence['This PC: client settings']).toMatch(/not read/);
  }, 30_000);
});
