import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSharedDir, HostCoordinator, SHARED_SNAPSHOT_FILE, type HostCoordinatorOptions } from '../../../electron/agent/host-coordinator.js';
import type { HealthSnapshot } from '../../../probes/common/finding.js';
import { finding, snapshot } from './snapshots.js';

const HOUR = 60 * 60 * 1000;

describe('HostCoordinator', () => {
  let dir: string;
  let clock: number;
  let alive: Set<number>;
  const made: HostCoordinator[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdp-health-shared-'));
    clock = Date.parse('2026-11-25T12:00:00.000Z');
    alive = new Set();
  });
  afterEach(async () => {
    for (const c of made.splice(0)) await c.release();
    await rm(dir, { recursive: true, force: true });
  });

  function coordinator(pid: number, options: Partial<HostCoordinatorOptions> = {}): HostCoordinator {
    alive.add(pid);
    const c = new HostCoordinator({
      sharedDir: dir,
      maxSnapshotAgeMs: () => HOUR,
      heartbeatMs: 60_000,
      staleLockMs: 5 * 60_000,
      waitForHolderMs: 300,
      pollMs: 20,
      now: () => clock,
      owner: { pid, host: 'RDPHOST01', user: `user${pid}` },
      isProcessAlive: (p) => alive.has(p),
      ...options,
    });
    made.push(c);
    return c;
  }

  const checkedNow = (label: string): HealthSnapshot => snapshot([finding('nla', 'ok', { summary: label })], { startedAt: new Date(clock).toISOString(), durationMs: 10 });

  it('gives the lock to exactly one of many sessions racing for it', async () => {
    const sessions = Array.from({ length: 12 }, (_, i) => coordinator(100 + i));
    const won = await Promise.all(sessions.map((s) => s.tryAcquire()));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await readdir(dir)).toEqual(['lock.1.json']);
    // The holder keeps it; the others still do not get it.
    const again = await Promise.all(sessions.map((s) => s.tryAcquire()));
    expect(again).toEqual(won);
  });

  it('lets another session take over when the holder process is gone', async () => {
    const a = coordinator(1);
    const b = coordinator(2);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    alive.delete(1);
    expect(await b.tryAcquire()).toBe(true);
    expect(await readdir(dir)).toEqual(['lock.2.json']);
    // The old holder, were it still running, finds out and steps down.
    expect(await a.tryAcquire()).toBe(false);
    expect(a.isHolder()).toBe(false);
  });

  it('takes over a lock whose heartbeat is too old even if the pid exists (pid reuse, hung holder)', async () => {
    const a = coordinator(1);
    const b = coordinator(2);
    await a.tryAcquire();
    clock += 4 * 60_000;
    expect(await b.tryAcquire()).toBe(false);
    clock += 2 * 60_000;
    expect(await b.tryAcquire()).toBe(true);
  });

  it('keeps a lock alive while the holder heartbeats', async () => {
    const a = coordinator(1, { heartbeatMs: 20, staleLockMs: 200 });
    const b = coordinator(2, { heartbeatMs: 20, staleLockMs: 200 });
    await a.tryAcquire();
    const before = JSON.parse(await readFile(join(dir, 'lock.1.json'), 'utf8')) as { heartbeatAt: string };
    clock += 150;
    await new Promise((done) => setTimeout(done, 120));
    clock += 150; // 300 ms after acquiring: stale without the heartbeat
    const after = JSON.parse(await readFile(join(dir, 'lock.1.json'), 'utf8')) as { heartbeatAt: string };
    expect(Date.parse(after.heartbeatAt)).toBeGreaterThan(Date.parse(before.heartbeatAt));
    expect(await b.tryAcquire()).toBe(false);
  });

  it('hands over at once after a release', async () => {
    const a = coordinator(1);
    const b = coordinator(2);
    await a.tryAcquire();
    await a.release();
    expect(await b.tryAcquire()).toBe(true);
  });

  it('takes over a lock file that cannot be parsed only once it is old', async () => {
    const path = join(dir, 'lock.7.json');
    await writeFile(path, '{"pid": 12');
    await utimes(path, clock / 1000, clock / 1000);
    const b = coordinator(2);
    expect(await b.tryAcquire()).toBe(false);
    clock += 6 * 60_000;
    expect(await b.tryAcquire()).toBe(true);
    expect(await readdir(dir)).toEqual(['lock.8.json']);
  });

  it('runs one check per cycle for the host: the holder checks, the others show its snapshot', async () => {
    const sessions = [coordinator(1), coordinator(2), coordinator(3)];
    const checks: number[] = [];
    const checker = (pid: number) => async () => {
      checks.push(pid);
      return checkedNow(`checked by ${pid}`);
    };
    for (let cycle = 0; cycle < 3; cycle += 1) {
      const results = [];
      for (const [i, s] of sessions.entries()) results.push(await s.runCycle(checker(i + 1)));
      expect(results.map((r) => r.source)).toEqual(['checked', 'shared', 'shared']);
      expect(new Set(results.map((r) => JSON.stringify(r.snapshot))).size).toBe(1);
      clock += 30 * 60_000;
    }
    expect(checks).toEqual([1, 1, 1]);
  });

  it('waits for the holder to publish its first snapshot instead of checking too', async () => {
    const holder = coordinator(1);
    const other = coordinator(2, { waitForHolderMs: 5000 });
    await holder.tryAcquire();
    let otherChecked = false;
    const pending = other.runCycle(async () => {
      otherChecked = true;
      return checkedNow('other');
    });
    await new Promise((done) => setTimeout(done, 60));
    await holder.publish(checkedNow('holder'));
    const result = await pending;
    expect(result.source).toBe('shared');
    expect(result.snapshot.findings[0]?.summary).toBe('holder');
    expect(otherChecked).toBe(false);
  });

  it('checks itself when the shared snapshot is stale and the live holder publishes nothing', async () => {
    const holder = coordinator(1, { staleLockMs: HOUR });
    const other = coordinator(2, { maxSnapshotAgeMs: () => 10 * 60_000, staleLockMs: HOUR });
    await holder.tryAcquire();
    await holder.publish(checkedNow('old'));
    clock += 11 * 60_000;
    const result = await other.runCycle(async () => checkedNow('mine'));
    expect(result.source).toBe('fallback');
    expect(result.snapshot.findings[0]?.summary).toBe('mine');
    // ...and shares it, so the other sessions need not check too.
    expect((await holder.readShared())?.snapshot.findings[0]?.summary).toBe('mine');
  });

  it('checks itself when the shared snapshot is unreadable', async () => {
    const holder = coordinator(1);
    await holder.tryAcquire();
    await writeFile(join(dir, SHARED_SNAPSHOT_FILE), '{"schema":1,"snap');
    const result = await coordinator(2).runCycle(async () => checkedNow('mine'));
    expect(result.source).toBe('fallback');
  });

  it('hands the facts the checking session published to the sessions that show its snapshot', async () => {
    const holder = coordinator(1, { facts: () => ({ certificates: [{ probeId: 'certificate', thumbprint: 'AB', notAfter: '2027-01-01T00:00:00.000Z' }] }) });
    await holder.runCycle(async () => checkedNow('holder'));
    const result = await coordinator(2).runCycle(async () => checkedNow('other'));
    expect(result.source).toBe('shared');
    expect(result.facts).toEqual({ certificates: [{ probeId: 'certificate', thumbprint: 'AB', notAfter: '2027-01-01T00:00:00.000Z' }] });
  });

  it('never replaces a newer shared snapshot with an older one', async () => {
    const a = coordinator(1);
    const newer = checkedNow('newer');
    clock -= 60_000;
    const older = checkedNow('older');
    await a.publish(newer);
    await a.publish(older);
    expect((await a.readShared())?.snapshot.findings[0]?.summary).toBe('newer');
  });

  it('tells a watching session about each snapshot another session publishes', async () => {
    const a = coordinator(1, { pollMs: 10 });
    const b = coordinator(2, { pollMs: 10 });
    const seen: string[] = [];
    b.watch((record) => seen.push(record.snapshot.findings[0]?.summary ?? ''));
    await a.publish(checkedNow('one'));
    await new Promise((done) => setTimeout(done, 60));
    clock += 1000;
    await a.publish(checkedNow('two'));
    await new Promise((done) => setTimeout(done, 60));
    b.stopWatching();
    expect(seen).toEqual(['one', 'two']);
  });

  it('does not deliver a shared snapshot left from before a restart when it is stale', async () => {
    const before = coordinator(1, { pollMs: 10 });
    await before.publish(checkedNow('a week ago'));
    await before.release();
    clock += 7 * 24 * HOUR;
    const restarted = coordinator(2, { pollMs: 10 });
    const seen: string[] = [];
    restarted.watch((record) => seen.push(record.snapshot.findings[0]?.summary ?? ''));
    await new Promise((done) => setTimeout(done, 60));
    restarted.stopWatching();
    expect(seen).toEqual([]);
  });

  it('does not deliver the snapshot this session already shows, nor one its own cycle returned', async () => {
    const holder = coordinator(1, { pollMs: 10 });
    await holder.runCycle(async () => checkedNow('first'));
    // Polls every 200 ms: the cycle below reads the shared file between two looks of the watcher.
    const other = coordinator(2, { pollMs: 200 });
    const seen: string[] = [];
    other.markHandled(checkedNow('shown before the restart').startedAt);
    other.watch((record) => seen.push(record.snapshot.findings[0]?.summary ?? ''));
    await new Promise((done) => setTimeout(done, 300));
    expect(seen).toEqual([]);
    clock += 30 * 60_000;
    await holder.runCycle(async () => checkedNow('second'));
    expect((await other.runCycle(async () => checkedNow('other'))).snapshot.findings[0]?.summary).toBe('second');
    await new Promise((done) => setTimeout(done, 300));
    other.stopWatching();
    expect(seen).toEqual([]);
  });

  it('falls back to checking alone when the shared folder cannot be used', async () => {
    await writeFile(join(dir, 'not-a-folder'), '');
    const c = coordinator(1, { sharedDir: join(dir, 'not-a-folder') });
    const result = await c.runCycle(async () => checkedNow('alone'));
    expect(result.source).toBe('fallback');
  });

  it('defaults to %ProgramData%\\RDP Health\\shared', () => {
    expect(defaultSharedDir({ ProgramData: 'D:\\PD' })).toBe('D:\\PD\\RDP Health\\shared');
  });
});
