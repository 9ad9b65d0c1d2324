/** History on a disk that fills and in a file past V8's string limit (issue 17, item 7). */
import { appendFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../probes/common/finding.js';
import { HistoryStore } from '../../electron/agent/history.js';
import { smallTmpfs, unmountAll } from './small-tmpfs.js';

afterAll(unmountAll);
const NOW = new Date('2026-11-25T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
const snapshot = (startedAt: string, overall: HealthSnapshot['overall'] = 'ok', pad = ''): HealthSnapshot => ({ overall, findings: [], startedAt, durationMs: 10, host: `RDPHOST01${pad}` });

describe('history under faults', () => {
  it('reads a file past V8\'s string limit from its tail, and appends to it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'history-')), 'history.jsonl');
    const history = new HistoryStore({ path, now: () => NOW, maxEntries: 3 });
    // A 540 MB sparse file (no disk used) with records at its end: reading it whole throws.
    writeFileSync(path, '');
    truncateSync(path, 540 * 1024 * 1024);
    appendFileSync(path, `\n${[4, 3, 2, 1].map((h) => JSON.stringify(snapshot(hoursAgo(h)))).join('\n')}\n`);
    expect((await history.read()).map((s) => s.startedAt)).toEqual([hoursAgo(3), hoursAgo(2), hoursAgo(1)]);
    await history.append(snapshot(NOW.toISOString(), 'fail'));
    expect((await history.read({ limit: 1 }))[0]?.overall).toBe('fail');
    // The first append saw more lines than the bounds keep: compacted to the records kept.
    expect(statSync(path).size).toBeLessThan(10_000);
  }, 60_000);

  it('a disk that fills mid-record: the write is logged and no partial record is left', async () => {
    const dir = smallTmpfs(16);
    const messages: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => void messages.push(m), error: (m: string) => void messages.push(m) };
    const path = join(dir ?? mkdtempSync(join(tmpdir(), 'history-')), 'history.jsonl');
    const history = new HistoryStore({ path, now: () => NOW, logger });
    await history.append(snapshot(hoursAgo(2)));
    const before = readFileSync(path, 'utf8');
    // Far more than a 16 KiB tmpfs holds; where no tmpfs could be mounted this append simply works.
    const big = snapshot(hoursAgo(1), 'warn', 'x'.repeat(64 * 1024));
    const appended = await history.append(big).then(() => true, () => false);
    if (dir) {
      expect(appended).toBe(false);
      expect(messages).toContain('history append failed; the partial record was removed');
      expect(readFileSync(path, 'utf8')).toBe(before);
    } else {
      expect(appended).toBe(true);
    }
    expect((await history.read()).map((s) => s.startedAt)).toEqual(dir ? [hoursAgo(2)] : [hoursAgo(2), hoursAgo(1)]);
  });
});
