// Scheduled checks of the history's computers: bounded in count and time, one at a time, the
// latest verdict per computer kept with its time; computers gone from the history are dropped.
import { describe, expect, it } from 'vitest';
import { historyTargets } from '../../../probes/client/client-history.js';
import type { ClientService, ClientSnapshot } from '../../../electron/agent/client/client-service.js';
import { HistoryChecks } from '../../../electron/agent/client/history-checks.js';

function fakeClient(hosts: () => string[]) {
  const checked: string[] = [];
  let running = 0;
  let overlapped = false;
  const client: Pick<ClientService, 'snapshot' | 'check'> = {
    snapshot: async (): Promise<ClientSnapshot> => ({
      settings: null,
      settingsProblem: 'not read',
      history: historyTargets({ mru: hosts().map((target, index) => ({ slot: `MRU${index}`, target })), servers: [], rdpFiles: [], documents: null }),
      historyProblem: null,
    }),
    check: async (target) => {
      running += 1;
      overlapped ||= running > 1;
      checked.push(target);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running -= 1;
      return { target, status: 'ok', side: 'none', summary: `ok ${target}`, alsoFound: [], fixes: [], evidence: {}, checkedAt: '2026-12-02T10:00:00.000Z', durationMs: 1, settingsProblem: null };
    },
  };
  return { client, checked, overlapped: () => overlapped };
}

describe('scheduled checks of the history computers', () => {
  it('checks at most maxTargets, one after another, and names the rest', async () => {
    const hosts = Array.from({ length: 12 }, (_, index) => `host${index}`);
    const fake = fakeClient(() => hosts);
    const checks = new HistoryChecks(fake.client, { limits: { maxTargets: 10, maxRunMs: 60_000 }, now: () => new Date('2026-12-02T10:00:00Z') });
    expect(checks.view(null)).toEqual({ everyMinutes: null, lastRunAt: null, notChecked: [], reports: [] });
    await checks.run();
    expect(fake.checked).toEqual(hosts.slice(0, 10));
    expect(fake.overlapped()).toBe(false);
    const view = checks.view(240);
    expect(view).toMatchObject({ everyMinutes: 240, lastRunAt: '2026-12-02T10:00:00.000Z', notChecked: ['host10', 'host11'] });
    expect(view.reports.map((report) => report.target)).toEqual(hosts.slice(0, 10));
  });

  it('stops starting checks once the run has used its time', async () => {
    const fake = fakeClient(() => ['a', 'b', 'c']);
    const checks = new HistoryChecks(fake.client, { limits: { maxTargets: 10, maxRunMs: -1 } });
    await checks.run();
    expect(fake.checked).toEqual([]);
    expect(checks.view(60).notChecked).toEqual(['a', 'b', 'c']);
  });

  it('drops the verdict of a computer that left the history', async () => {
    let hosts = ['a', 'b'];
    const fake = fakeClient(() => hosts);
    const checks = new HistoryChecks(fake.client);
    await checks.run();
    hosts = ['b'];
    await checks.run();
    expect(checks.view(60).reports.map((report) => report.target)).toEqual(['b']);
  });
});
