import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../../probes/common/finding.js';
import { HistoryStore } from '../../../electron/agent/history.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const snapshot = (startedAt: string, overall: HealthSnapshot['overall'] = 'ok'): HealthSnapshot => ({ overall, findings: [], startedAt, durationMs: 10, host: 'RDPHOST01' });
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

function store(options: { maxEntries?: number; maxAgeDays?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'history-'));
  const path = join(dir, 'history.jsonl');
  return { dir, path, history: new HistoryStore({ path, now: () => NOW, ...options }) };
}

describe('HistoryStore', () => {
  it('appends one JSON line per snapshot and reads them oldest first', async () => {
    const { path, history } = store();
    await history.append(snapshot(hoursAgo(2)));
    await history.append(snapshot(hoursAgo(1), 'warn'));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
    expect((await history.read()).map((s) => s.overall)).toEqual(['ok', 'warn']);
    expect(await history.read({ limit: 1 })).toEqual([snapshot(hoursAgo(1), 'warn')]);
  });

  it('a torn last line is skipped when reading, cut off before the next append, and earlier records stay intact', async () => {
    const { path, history } = store();
    await history.append(snapshot(hoursAgo(3)));
    await history.append(snapshot(hoursAgo(2), 'fail'));
    const before = readFileSync(path, 'utf8');
    appendFileSync(path, '{"overall":"ok","findings":[],"startedAt":"2026-11'); // crash mid-write
    expect((await history.read()).map((s) => s.overall)).toEqual(['ok', 'fail']);
    await history.append(snapshot(hoursAgo(1), 'warn'));
    expect(readFileSync(path, 'utf8')).toBe(before + `${JSON.stringify(snapshot(hoursAgo(1), 'warn'))}\n`);
    expect((await history.read()).map((s) => s.overall)).toEqual(['ok', 'fail', 'warn']);
  });

  it('a new store (after a restart) repairs a torn tail too', async () => {
    const { path } = store();
    writeFileSync(path, `${JSON.stringify(snapshot(hoursAgo(2)))}\n{"overall":`);
    const reopened = new HistoryStore({ path, now: () => NOW });
    await reopened.append(snapshot(hoursAgo(1), 'fail'));
    expect((await reopened.read()).map((s) => s.overall)).toEqual(['ok', 'fail']);
  });

  it('lines that are JSON but not snapshots are skipped, not fatal', async () => {
    const { path, history } = store();
    writeFileSync(path, `{"hello":1}\n${JSON.stringify(snapshot(hoursAgo(1)))}\n`);
    expect(await history.read()).toHaveLength(1);
  });

  it('is bounded by count: compaction keeps the newest, through a temp file and a rename', async () => {
    const { dir, path, history } = store({ maxEntries: 5 });
    for (let i = 20; i >= 1; i -= 1) await history.append(snapshot(hoursAgo(i)));
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(await history.read()).toHaveLength(5);
    expect((await history.read()).at(-1)?.startedAt).toBe(hoursAgo(1));
    expect(readdirSync(dir)).toEqual(['history.jsonl']);
  });

  it('is bounded by age', async () => {
    const { path, history } = store({ maxAgeDays: 1 });
    await history.append(snapshot(hoursAgo(50)));
    await history.append(snapshot(hoursAgo(1)));
    expect((await history.read()).map((s) => s.startedAt)).toEqual([hoursAgo(1)]);
    await history.compact();
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('concurrent appends never interleave', async () => {
    const { path, history } = store();
    await Promise.all(Array.from({ length: 20 }, (_, i) => history.append(snapshot(hoursAgo(20 - i)))));
    expect(readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as HealthSnapshot)).toHaveLength(20);
  });
});

describe('HistoryStore under faults (issue 17)', () => {
  const DAY = 86_400_000;

  it('a cycle with the clock a year ahead does not compact the present away', async () => {
    const { path } = store();
    let now = NOW;
    const history = new HistoryStore({ path, now: () => now, maxEntries: 5 });
    for (let i = 5; i >= 1; i -= 1) await history.append(snapshot(hoursAgo(i)));
    now = new Date(NOW.getTime() + 365 * DAY);
    await history.append(snapshot(now.toISOString(), 'warn'));
    await history.compact();
    now = NOW;
    const kept = (await history.read()).map((s) => s.startedAt);
    expect(kept).toHaveLength(5);
    expect(kept.slice(0, 4)).toEqual([hoursAgo(4), hoursAgo(3), hoursAgo(2), hoursAgo(1)]);
  });
});
