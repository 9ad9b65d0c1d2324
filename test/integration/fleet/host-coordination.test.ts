/**
 * Several real agent processes on one shared folder (one multi-user host): one check per cycle for
 * the whole host, every session shows the same snapshot, and killing the session that holds the
 * lock (SIGKILL: no release, no cleanup) lets another take over. Cycles are driven over IPC, so the
 * assertions are on counts and order, never on timings.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '../../../probes/common/finding.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/fleet/coordinated-agent.ts', import.meta.url));

interface Message {
  type: 'ready' | 'check' | 'cycle' | 'show' | 'error';
  pid: number;
  source?: 'checked' | 'shared' | 'fallback';
  snapshot?: HealthSnapshot;
  message?: string;
}

class Agent {
  readonly inbox: Message[] = [];
  private waiters: Array<{ type: Message['type']; resolve: (m: Message) => void }> = [];
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: Message) => {
      const waiter = this.waiters.find((w) => w.type === message.type);
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      } else this.inbox.push(message);
    });
    this.exited = new Promise((done) => child.once('exit', () => done()));
  }

  next(type: Message['type']): Promise<Message> {
    const queued = this.inbox.findIndex((m) => m.type === type || m.type === 'error');
    if (queued >= 0) return Promise.resolve(this.inbox.splice(queued, 1)[0] as Message);
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }

  async ask(type: 'cycle' | 'show'): Promise<Message> {
    const answer = this.next(type);
    this.child.send({ type });
    const message = await answer;
    if (message.type === 'error') throw new Error(`agent ${message.pid}: ${message.message}`);
    return message;
  }
}

describe('one check per host across agent processes', () => {
  let root: string;
  let sharedDir: string;
  let agents: Agent[];
  const checks: number[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rdp-health-host-'));
    sharedDir = join(root, 'shared');
    agents = [0, 1, 2].map((i) => {
      const child = fork(FIXTURE, [sharedDir, join(root, `session-${i}`), 'healthy'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const agent = new Agent(child);
      child.on('message', (m: Message) => {
        if (m.type === 'check') checks.push(m.pid);
      });
      return agent;
    });
    await Promise.all(agents.map((a) => a.next('ready')));
  }, 120_000);

  afterAll(async () => {
    for (const agent of agents) {
      if (agent.child.exitCode === null && agent.child.signalCode === null) {
        agent.child.send({ type: 'stop' });
        await Promise.race([agent.exited, new Promise((done) => setTimeout(done, 10_000))]);
        if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
      }
    }
    await rm(root, { recursive: true, force: true });
  });

  /** One scheduled cycle in every live session at once; then what each session shows. */
  async function cycle(live: Agent[]) {
    const before = checks.length;
    const results = await Promise.all(live.map((a) => a.ask('cycle')));
    const shown = await Promise.all(live.map((a) => a.ask('show')));
    return { results, shown, checkers: checks.slice(before) };
  }

  let holderPid = 0;

  it('runs the probes once per cycle for the host, always in the same session, and every session shows that snapshot', async () => {
    const seen = new Set<string>();
    for (let round = 0; round < 3; round += 1) {
      const { results, shown, checkers } = await cycle(agents);
      expect(checkers).toHaveLength(1);
      const checked = results.filter((r) => r.source === 'checked');
      expect(checked).toHaveLength(1);
      expect(results.filter((r) => r.source === 'fallback')).toEqual([]);
      holderPid ||= checked[0]?.pid ?? 0;
      expect(checkers[0]).toBe(holderPid);
      const latest = checked[0]?.snapshot;
      expect(latest?.findings.map((f) => [f.probeId, f.status])).toEqual([['nla', 'ok']]);
      for (const s of shown) expect(s.snapshot).toEqual(latest);
      seen.add(latest?.startedAt ?? '');
    }
    expect(seen.size).toBe(3);
  });

  it('lets another session take over when the holder is killed', async () => {
    const holder = agents.find((a) => a.child.pid === holderPid);
    expect(holder).toBeDefined();
    holder?.child.kill('SIGKILL');
    await holder?.exited;
    const survivors = agents.filter((a) => a !== holder);

    const first = await cycle(survivors);
    expect(first.checkers).toHaveLength(1);
    const newHolder = first.checkers[0];
    expect(newHolder).not.toBe(holderPid);
    expect(survivors.map((a) => a.child.pid)).toContain(newHolder);
    const latest = first.results.find((r) => r.source === 'checked')?.snapshot;
    for (const s of first.shown) expect(s.snapshot).toEqual(latest);

    const second = await cycle(survivors);
    expect(second.checkers).toEqual([newHolder]);
    expect(second.results.map((r) => r.source).sort()).toEqual(['checked', 'shared']);
  });
});
