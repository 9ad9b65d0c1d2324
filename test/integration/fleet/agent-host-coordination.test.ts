/**
 * The real Agent in several processes sharing one folder, as the sessions of one RDS host: the
 * scheduled checks run once per host, every session shows the same snapshot, and killing the
 * session that checks (SIGKILL) hands the checks to another. Cycles are the test's ticks (each
 * session's scheduler clock waits for them), so the assertions are on counts, not timings.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../../probes/common/finding.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/fleet/agent-session.ts', import.meta.url));

interface Report {
  type: 'ready' | 'cycle' | 'error';
  pid: number;
  probeRuns: number;
  snapshot?: HealthSnapshot;
  message?: string;
}

class Session {
  private waiting: ((report: Report) => void) | undefined;
  private queued: Report[] = [];
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (report: Report) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(report);
      } else this.queued.push(report);
    });
    this.exited = new Promise((done) => child.once('exit', () => done()));
  }

  async next(): Promise<Report> {
    const report = this.queued.shift() ?? (await new Promise<Report>((resolve) => (this.waiting = resolve)));
    if (report.type === 'error') throw new Error(`session ${report.pid}: ${report.message}`);
    return report;
  }

  async tick(): Promise<Report> {
    const answer = this.next();
    this.child.send({ type: 'tick' });
    return answer;
  }
}

describe('the Agent checks once per host across sessions', () => {
  let root: string;
  let sessions: Session[];
  let runs = new Map<number, number>();

  /** Probe scripts run since the last call, by session. */
  function newRuns(reports: Report[]): Map<number, number> {
    const delta = new Map<number, number>();
    for (const r of reports) {
      const before = runs.get(r.pid) ?? 0;
      if (r.probeRuns > before) delta.set(r.pid, r.probeRuns - before);
    }
    runs = new Map(reports.map((r) => [r.pid, r.probeRuns]));
    return delta;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rdp-health-agents-'));
    sessions = [0, 1, 2].map(
      (i) => new Session(fork(FIXTURE, [join(root, 'shared'), join(root, `user${i}`), 'healthy'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })),
    );
  }, 120_000);

  afterAll(async () => {
    for (const s of sessions) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.child.send({ type: 'stop' });
        await Promise.race([s.exited, new Promise((done) => setTimeout(done, 10_000))]);
        if (s.child.exitCode === null) s.child.kill('SIGKILL');
      }
    }
    await rm(root, { recursive: true, force: true });
  });

  let checker = 0;
  let latest: HealthSnapshot | undefined;

  it('starts with one check for the host, shown in every session', async () => {
    const ready = await Promise.all(sessions.map((s) => s.next()));
    const delta = newRuns(ready);
    expect([...delta.values()]).toEqual([1]);
    checker = [...delta.keys()][0] ?? 0;
    const shown = ready.map((r) => r.snapshot);
    expect(shown[0]?.findings.map((f) => [f.probeId, f.status])).toEqual([['nla', 'ok']]);
    for (const snapshot of shown) expect(snapshot).toEqual(shown[0]);
    latest = shown[0];
  }, 120_000);

  it('runs each scheduled cycle once for the host, in the same session', async () => {
    for (let round = 0; round < 2; round += 1) {
      const reports = await Promise.all(sessions.map((s) => s.tick()));
      expect(newRuns(reports)).toEqual(new Map([[checker, 1]]));
      // The others show the host's snapshot: this cycle's if the holder had shared it already,
      // else the one before (still fresh); never one of their own.
      const fresh = reports.find((r) => r.pid === checker)?.snapshot;
      expect(fresh?.startedAt).not.toBe(latest?.startedAt);
      for (const r of reports) expect([fresh?.startedAt, latest?.startedAt]).toContain(r.snapshot?.startedAt);
      latest = fresh;
    }
  }, 120_000);

  it('hands the checks to another session when the checking one is killed', async () => {
    const holder = sessions.find((s) => s.child.pid === checker) as Session;
    holder.child.kill('SIGKILL');
    await holder.exited;
    const survivors = sessions.filter((s) => s !== holder);
    const first = await Promise.all(survivors.map((s) => s.tick()));
    const took = newRuns(first);
    expect([...took.values()]).toEqual([1]);
    const successor = [...took.keys()][0];
    expect(successor).not.toBe(checker);
    const afterTakeover = first.find((r) => r.pid === successor)?.snapshot;
    const second = await Promise.all(survivors.map((s) => s.tick()));
    expect(newRuns(second)).toEqual(new Map([[successor, 1]]));
    const newest = second.find((r) => r.pid === successor)?.snapshot;
    // The other survivor shows the successor's checks: this cycle's or the one before.
    for (const r of second) expect([newest?.startedAt, afterTakeover?.startedAt]).toContain(r.snapshot?.startedAt);
  }, 120_000);
});
