import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLogWriter, fixEvent, probeStatusEvents } from '../../../electron/agent/event-log.js';
import { finding, snapshot } from '../../unit/fleet/snapshots.js';
import { openSimSession, type SimSession } from './sim-session.js';

interface RecordedEvent {
  LogName: string;
  Source: string;
  EventId: number;
  EntryType: string;
  Message: string;
}

const recorded = async (sim: SimSession): Promise<RecordedEvent[]> => ((await sim.state()).eventLog as RecordedEvent[] | undefined) ?? [];

describe('EventLogWriter on the simulated host', () => {
  let sim: SimSession;
  let writer: EventLogWriter;
  let warnings: unknown[];

  beforeAll(async () => {
    sim = await openSimSession('healthy');
    warnings = [];
    writer = new EventLogWriter({
      session: sim.session,
      probesDir: sim.probesDir,
      tempDir: sim.workDir,
      logger: { debug() {}, info() {}, error() {}, warn: (message, meta) => warnings.push({ message, meta }) },
    });
  });
  afterAll(async () => {
    await writer.dispose();
    await sim.close();
  });

  it('writes the events of a status change and of a fix, in order, under the RDP Health source', async () => {
    const before = snapshot([finding('nla', 'ok'), finding('certificate', 'ok')]);
    const after = snapshot([finding('nla', 'fail', { summary: "Remote Desktop doesn't require \"NLA\"; $(whoami) `n stays text." }), finding('certificate', 'ok')]);
    const events = [
      ...probeStatusEvents(before, after),
      fixEvent({ action: 'apply', fixId: 'nla.require', outcome: 'cancelled', message: 'Nothing was changed.', host: 'RDPHOST01' }),
    ];
    const results = await writer.writeAll(events);
    expect(results).toEqual([{ written: true }, { written: true }]);
    const log = await recorded(sim);
    expect(log.map((e) => [e.LogName, e.Source, e.EventId, e.EntryType])).toEqual([
      ['Application', 'RDP Health', 1003, 'Error'],
      ['Application', 'RDP Health', 1014, 'Information'],
    ]);
    // The message is data: quotes, $(...) and backticks arrive exactly as written.
    expect(log[0]?.Message).toBe(events[0]?.message);
    expect(log[1]?.Message).toBe(events[1]?.message);
  });

  it('removes each message file once written', async () => {
    const folder = await readdir(sim.workDir);
    expect(folder).toContain('simulated-host.json');
    expect(folder.filter((name) => name.endsWith('.txt'))).toEqual([]);
  });

  it('reports, and does not throw, when the event cannot be written', async () => {
    const broken = new EventLogWriter({ session: sim.session, probesDir: '/nonexistent/probes', logger: { debug() {}, info() {}, error() {}, warn: (m, meta) => warnings.push({ m, meta }) } });
    const result = await broken.write(fixEvent({ action: 'undo', fixId: 'nla.require', outcome: 'fixed', message: 'ok', host: 'h' }));
    expect(result.written).toBe(false);
    expect(warnings.length).toBe(1);
    await broken.dispose();
  });
});

describe('EventLogWriter when the installer did not register the source', () => {
  it('says so and writes nothing', async () => {
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'rdp-health-scenario-'));
    const scenario = join(dir, 'no-source.json');
    await writeFile(scenario, JSON.stringify({ description: 'event source missing', extends: 'healthy', patch: { registry: { 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\RDP Health': null } } }));
    const sim = await openSimSession(scenario);
    try {
      const writer = new EventLogWriter({ session: sim.session, probesDir: sim.probesDir });
      const result = await writer.write(fixEvent({ action: 'apply', fixId: 'nla.require', outcome: 'fixed', message: 'ok', host: 'h' }));
      expect(result.written).toBe(false);
      expect(result.problem).toMatch(/^not-found: The event source 'RDP Health' is not registered/);
      expect(await recorded(sim)).toEqual([]);
      await writer.dispose();
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
