import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogging, logDirCandidates, logFileOrder, readLogFiles, safeLogger } from '../../../electron/agent/logging.js';

const folder = () => mkdtempSync(join(tmpdir(), 'logging-'));

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 50; i += 1) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

describe('log folder', () => {
  it('on Windows: only the user\'s own folder, never one under %ProgramData% that other users can reach', () => {
    const env = { ProgramData: 'C:\\ProgramData', LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' };
    expect(logDirCandidates(undefined, 'C:\\data', { platform: 'win32', env, home: 'C:\\Users\\ann' })).toEqual(['C:\\Users\\ann\\AppData\\Local\\RDP Health\\logs']);
  });

  it('elsewhere: under the data folder, then the XDG state folder; a configured folder comes first', () => {
    expect(logDirCandidates('/var/log/rdp', '/data', { platform: 'linux', env: {}, home: '/home/ann' })).toEqual(['/var/log/rdp', '/data/logs', '/home/ann/.local/state/rdp-health/logs']);
  });
});

describe('createLogging', () => {
  it('writes JSON lines to a file per user and reads the recent ones back, oldest first', async () => {
    const dataDir = folder();
    const logging = createLogging({ dataDir, user: 'ann' });
    expect(logging.dir).toBe(join(dataDir, 'logs'));
    expect(logging.problem).toBeUndefined();
    for (let i = 1; i <= 5; i += 1) logging.logger.info(`line ${i}`, { n: i });
    await logging.close();
    const files = readdirSync(join(dataDir, 'logs')).filter((name) => name.endsWith('.log'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^rdp-health-ann-\d{4}-\d{2}-\d{2}\.log$/);
    const lines = readFileSync(join(dataDir, 'logs', files[0]!), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ level: 'info', message: 'line 5', n: 5, timestamp: expect.any(String) });
    const recent = await readLogFiles(join(dataDir, 'logs'), 'ann', 2);
    expect(recent.map((entry) => entry.message)).toEqual(['line 4', 'line 5']);
  });

  it('reads only this user\'s files, newest files last, and skips torn lines', async () => {
    const dir = folder();
    const line = (message: string) => `${JSON.stringify({ level: 'info', message, timestamp: 'x' })}\n`;
    writeFileSync(join(dir, 'rdp-health-ann-2026-11-24.log'), line('old'));
    writeFileSync(join(dir, 'rdp-health-ann-2026-11-25.log'), `${line('new')}{"level":"inf`);
    writeFileSync(join(dir, 'rdp-health-bob-2026-11-25.log'), line('not mine'));
    expect((await readLogFiles(dir, 'ann', 10)).map((entry) => entry.message)).toEqual(['old', 'new']);
  });

  it('never reads another user whose name starts with this one\'s, nor one that differs only by a dot', async () => {
    const dir = folder();
    const line = (message: string) => `${JSON.stringify({ level: 'info', message, timestamp: 'x' })}\n`;
    writeFileSync(join(dir, 'rdp-health-ann-2026-11-25.log'), line('ann'));
    writeFileSync(join(dir, 'rdp-health-ann-lee-2026-11-25.log'), line('ann-lee'));
    writeFileSync(join(dir, 'rdp-health-ann-2026-11-25-backup.log'), line('not a log file'));
    writeFileSync(join(dir, 'rdp-health-j.doe-2026-11-25.log'), line('j.doe'));
    writeFileSync(join(dir, 'rdp-health-jxdoe-2026-11-25.log'), line('jxdoe'));
    expect((await readLogFiles(dir, 'ann', 10)).map((entry) => entry.message)).toEqual(['ann']);
    expect((await readLogFiles(dir, 'j.doe', 10)).map((entry) => entry.message)).toEqual(['j.doe']);
  });

  it('orders size-rotated files after the day\'s first file', async () => {
    const dir = folder();
    const line = (message: string) => `${JSON.stringify({ level: 'info', message, timestamp: 'x' })}\n`;
    writeFileSync(join(dir, 'rdp-health-ann-2026-11-24.log'), line('day 1'));
    writeFileSync(join(dir, 'rdp-health-ann-2026-11-25.log'), line('day 2'));
    writeFileSync(join(dir, 'rdp-health-ann-2026-11-25.log.2'), line('day 2, third'));
    writeFileSync(join(dir, 'rdp-health-ann-2026-11-25.log.10'), line('day 2, eleventh'));
    expect((await readLogFiles(dir, 'ann', 10)).map((entry) => entry.message)).toEqual(['day 1', 'day 2', 'day 2, third', 'day 2, eleventh']);
    expect(logFileOrder('rdp-health-ann-2026-11-25.1.log', 'ann')).toBe('2026-11-25.000001');
    expect(logFileOrder('rdp-health-ann-2026-11-25.log', 'an')).toBeUndefined();
  });

  it('an unwritable configured folder falls back to the default and says so; logging still works', async () => {
    const dataDir = folder();
    const blocker = join(dataDir, 'a-file');
    writeFileSync(blocker, '');
    const logging = createLogging({ dataDir, logDir: join(blocker, 'logs'), user: 'ann' });
    expect(logging.dir).toBe(join(dataDir, 'logs'));
    expect(logging.problem).toContain('not writable');
    logging.logger.warn('still here');
    const entries = await eventually(() => logging.readRecentLogs(10), (e) => e.some((x) => x.message === 'still here'));
    expect(entries.map((entry) => entry.message)).toContain('still here');
    await logging.close();
  });

  it('with no writable folder at all, logs stay in memory and nothing throws', async () => {
    const dataDir = folder();
    const blocker = join(dataDir, 'a-file');
    writeFileSync(blocker, '');
    const logging = createLogging({
      dataDir: join(blocker, 'data'),
      logDir: join(blocker, 'logs'),
      user: 'ann',
      environment: { platform: 'linux', env: { XDG_STATE_HOME: join(blocker, 'state') }, home: blocker },
    });
    expect(logging.dir).toBeUndefined();
    expect(logging.problem).toContain('in memory');
    logging.logger.error('kept in memory', { probe: 'nla' });
    expect((await logging.readRecentLogs(5)).map((entry) => entry.message)).toContain('kept in memory');
    await logging.close();
  });

  it('a logger that throws never reaches the caller', () => {
    const broken = { debug: boom, info: boom, warn: boom, error: boom };
    function boom(): never {
      throw new Error('disk full');
    }
    expect(() => safeLogger(broken).error('x')).not.toThrow();
  });
});
