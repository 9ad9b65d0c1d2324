import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogFile, localDay, type LogFileSystem } from '../../../electron/agent/log-file.js';
import { createLogging } from '../../../electron/agent/logging.js';
import { smallTmpfs, unmountAll } from '../../reliability/small-tmpfs.js';

const folder = () => mkdtempSync(join(tmpdir(), 'log-file-'));
const NOW = new Date(2026, 11, 2, 12, 0, 0);
const today = localDay(NOW);

/** node:fs whose writes fail like a full disk once `budget` bytes are written. */
function fillingFs(budget: number): LogFileSystem & { failures: number } {
  let left = budget;
  const failing = {
    ...fs,
    failures: 0,
    writeSync(fd: number, buffer: Buffer, offset: number, length: number): number {
      if (left <= 0) {
        failing.failures += 1;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      const n = Math.min(length, left);
      left -= n;
      return fs.writeSync(fd, buffer, offset, n);
    },
  };
  return failing;
}

afterAll(unmountAll);

describe('a full log disk', () => {
  it('never takes the process down: logging falls back to memory and says why', async () => {
    const dataDir = folder();
    const filling = fillingFs(4096);
    const logging = createLogging({ dataDir, user: 'ann', fs: filling });
    for (let i = 0; i < 200; i += 1) logging.logger.info(`line ${i}`, { padding: 'x'.repeat(100) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(filling.failures).toBeGreaterThan(0);
    expect(logging.problem).toMatch(/Writing the log file in .* failed \(ENOSPC/);
    // The window still shows the latest entries.
    expect((await logging.readRecentLogs(1)).map((entry) => entry.message)).toEqual(['line 199']);
    await logging.close();
  });

  it('on a real filesystem that fills (a small tmpfs, or the same failure through the seam)', async () => {
    const dir = smallTmpfs();
    const logging = createLogging({ dataDir: folder(), logDir: dir ?? folder(), user: 'ann', ...(dir ? {} : { fs: fillingFs(64 * 1024) }) });
    // An unhandled 'error' event from a stream here would fail the whole test run.
    for (let i = 0; i < 2000; i += 1) logging.logger.info(`line ${i}`, { padding: 'x'.repeat(100) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logging.problem).toMatch(/ENOSPC/);
    await logging.close();
  });

  it('a short write is completed, and the file is tried again after a while', () => {
    const dir = folder();
    let clock = NOW.getTime();
    const filling = fillingFs(10);
    const file = new LogFile({ dir, user: 'ann', fs: filling, now: () => new Date(clock), retryMs: 1000 });
    expect(file.write('{"message":"too long for the disk"}')).toBe(false);
    expect(file.write('{"message":"skipped while the disk is full"}')).toBe(false);
    expect(filling.failures).toBe(1);
    clock += 1001;
    expect(file.write('{"message":"tried again"}')).toBe(false);
    expect(filling.failures).toBe(2);
  });
});

describe('rotation inside the user\'s own folder', () => {
  it('continues in <date>.<n>.log past the size bound and deletes only its own old files', () => {
    const dir = folder();
    const outside = folder();
    writeFileSync(join(outside, 'precious.txt'), 'keep me');
    writeFileSync(join(dir, 'rdp-health-ann-2026-10-01.log'), 'old\n');
    writeFileSync(join(dir, 'rdp-health-bob-2026-10-01.log'), 'another user\n');
    symlinkSync(join(outside, 'precious.txt'), join(dir, 'rdp-health-ann-2026-10-02.log'));
    const file = new LogFile({ dir, user: 'ann', maxBytes: 100, now: () => NOW });
    for (let i = 0; i < 5; i += 1) expect(file.write(JSON.stringify({ message: `line ${i}`, pad: 'x'.repeat(40) }))).toBe(true);
    file.close();
    const names = readdirSync(dir).sort();
    expect(names).toContain(`rdp-health-ann-${today}.log`);
    expect(names).toContain(`rdp-health-ann-${today}.1.log`);
    expect(names).not.toContain('rdp-health-ann-2026-10-01.log');
    expect(names).toContain('rdp-health-bob-2026-10-01.log');
    // The old-named link was neither deleted nor followed.
    expect(names).toContain('rdp-health-ann-2026-10-02.log');
    expect(readFileSync(join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(file.findings.join()).toMatch(/2026-10-02\.log is a link/);
  });
});

describe('a planted file in the log folder (issue 10)', () => {
  it('an audit file naming a file outside the folder changes nothing there, and is reported', async () => {
    const dataDir = folder();
    const logDir = join(dataDir, 'logs');
    mkdirSync(logDir);
    const outside = folder();
    const victim = join(outside, 'victim.log');
    writeFileSync(victim, 'not yours');
    const old = Date.parse('2025-01-01T00:00:00Z');
    writeFileSync(
      join(logDir, '.rdp-health-ann-audit.json'),
      JSON.stringify({ keep: { days: true, amount: 14 }, auditLog: join(logDir, '.rdp-health-ann-audit.json'), files: [{ date: old, name: victim, hash: 'x' }], hashType: 'md5' }),
    );
    const logging = createLogging({ dataDir, user: 'ann' });
    for (let i = 0; i < 20; i += 1) logging.logger.info(`line ${i}`);
    await logging.close();
    expect(readFileSync(victim, 'utf8')).toBe('not yours');
    expect(readFileSync(join(logDir, '.rdp-health-ann-audit.json'), 'utf8')).toContain('victim.log');
    expect(logging.problem).toMatch(/\.rdp-health-ann-audit\.json was not written by RDP Health/);
  });

  it('a link named like the next log file is not followed: the log goes on in the next name, and it is reported', async () => {
    const dataDir = folder();
    const logDir = join(dataDir, 'logs');
    mkdirSync(logDir);
    const outside = folder();
    const target = join(outside, 'target.txt');
    writeFileSync(target, 'untouched');
    symlinkSync(target, join(logDir, `rdp-health-ann-${localDay(new Date())}.log`));
    const logging = createLogging({ dataDir, user: 'ann' });
    logging.logger.info('hello');
    await logging.close();
    expect(readFileSync(target, 'utf8')).toBe('untouched');
    expect(readFileSync(join(logDir, `rdp-health-ann-${localDay(new Date())}.1.log`), 'utf8')).toContain('hello');
    expect(logging.problem).toMatch(/is a link or not a file; it was not followed/);
    expect((await logging.readRecentLogs(5)).map((entry) => entry.message)).toContain('hello');
  });
});
