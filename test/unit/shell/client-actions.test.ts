// The Connect view's two actions through runAction: what a request may carry (a bounded host
// string, nothing else) and what of the history reaches the window.
import { describe, expect, it } from 'vitest';
import { runAction, RejectedRequest, type ActionHandlers } from '../../../electron/shell/actions.js';
import { clientActions, historyView, type ClientPort } from '../../../electron/shell/client-actions.js';
import { historyTargets } from '../../../probes/client/client-history.js';
import { connectTargetSchema } from '../../../electron/client-contract.js';
import { targetProblem } from '../../../renderer/connect-model.js';

function recordingClient() {
  const checked: string[] = [];
  const client: ClientPort = {
    history: async () => ({ ok: true, history: historyTargets({ mru: [{ slot: 'MRU0', target: 'rdphost01.contoso.com' }], servers: [{ host: 'rdphost01.contoso.com', usernameHint: 'CONTOSO\\alice', certHash: 'AB12' }], rdpFiles: [{ path: 'C:\\Users\\alice\\Documents\\bad.rdp', name: 'bad.rdp', sizeBytes: 9, text: 'not an rdp file', problem: null }], documents: 'C:\\Users\\alice\\Documents' }) }),
    check: async (target) => {
      checked.push(target);
      return { target, status: 'fail', side: 'network', summary: 'Nothing answers.', alsoFound: [], fixes: [], evidence: {}, checkedAt: '2026-01-01T00:00:00.000Z', durationMs: 3, settingsProblem: null };
    },
  };
  return { client, checked };
}

const handlersOf = (client: ClientPort) => clientActions(client) as unknown as ActionHandlers;

describe('Connect view actions', () => {
  it('checks a typed host[:port] and returns the verdict', async () => {
    const { client, checked } = recordingClient();
    const report = await runAction(handlersOf(client), 'connect', [{ target: ' 127.0.0.1:3390 ' }]);
    expect(report.side).toBe('network');
    expect(checked).toEqual(['127.0.0.1:3390']);
    await runAction(handlersOf(client), 'connect', [{ target: '[::1]:3389' }]);
    expect(checked[1]).toBe('[::1]:3389');
  });

  it.each([
    ['a space', { target: 'host name' }],
    ['a command', { target: 'host;calc.exe' }],
    ['too long', { target: 'a'.repeat(261) }],
    ['empty', { target: '  ' }],
    ['an extra key', { target: 'host', port: 1 }],
    ['no target', {}],
  ])('refuses a request with %s before anything runs', async (_label, payload) => {
    const { client, checked } = recordingClient();
    await expect(runAction(handlersOf(client), 'connect', [payload])).rejects.toBeInstanceOf(RejectedRequest);
    expect(checked).toEqual([]);
  });

  it('gives the window the targets and the files with problems, not certificate hashes or file contents', async () => {
    const { client } = recordingClient();
    const view = await runAction(handlersOf(client), 'clientHistory', []);
    expect(view.targets).toEqual([{ target: 'rdphost01.contoso.com', sources: ['MRU0', 'Servers key'], usernameHint: 'CONTOSO\\alice', rdpFiles: [] }]);
    expect(view.unusableFiles).toHaveLength(1);
    expect(view.unusableFiles[0]!.problem).toBeTruthy();
    expect(JSON.stringify(view)).not.toMatch(/AB12|not an rdp file/);
  });

  it('says why the history could not be read', () => {
    expect(historyView({ ok: false, problem: 'The Remote Desktop history could not be read: boom' })).toEqual({ targets: [], unusableFiles: [], problem: 'The Remote Desktop history could not be read: boom' });
  });

  it('the window says a typed target is wrong exactly when the agent would refuse it', () => {
    for (const text of ['rdphost01.contoso.com', '10.0.0.5:3390', '[fe80::1%12]:3389', ' host ', '', 'a b', 'x;y', 'h'.repeat(261), 'ünicode']) {
      expect(targetProblem(text) === null, text).toBe(connectTargetSchema.safeParse(text).success);
    }
  });
});
