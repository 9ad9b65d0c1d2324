// IPC through a fake Electron: the handlers main.ts registers, called the way a renderer's
// ipcRenderer.invoke would reach them. The agent behind them is a recorder: "nothing run" means
// it saw no call at all.
import { beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, channelOf } from '../../../electron/contract.js';
import { agentActions, type AgentPort } from '../../../electron/shell/actions.js';
import { ownWindowSender, registerIpcHandlers } from '../../../electron/shell/ipc.js';
import { FakeIpcMain, senderEvent } from './fake-electron.js';
import { finding, safeFix, snapshot } from './snapshots.js';

const WINDOW_ID = 7;
const OWN = senderEvent(WINDOW_ID, 'app://rdp-health/index.html');

function recordingAgent() {
  const calls: string[] = [];
  const current = snapshot([finding('certificate', 'fail', { fixes: [safeFix()] })]);
  let settings = { checkIntervalMinutes: 30, warnDays: [30, 7], notifications: true, startAtLogin: true, historyCheckMinutes: null as number | null, logDir: 'C:\\secret', shell: 'auto' };
  const agent: AgentPort = {
    getSnapshot: () => (calls.push('getSnapshot'), current),
    getStatus: () => (calls.push('getStatus'), { checking: false }),
    checkNow: async () => (calls.push('checkNow'), current),
    getHistory: async (o) => (calls.push(`getHistory:${o?.limit}`), [current]),
    getLogs: async (o) => (calls.push(`getLogs:${o?.limit}`), [{ timestamp: '2025-01-01T10:00:00Z', level: 'info', message: 'check done', path: 'C:\\x' }]),
    getSettings: () => (calls.push('getSettings'), settings),
    getLockedSettings: () => [],
    setSettings: async (patch) => {
      calls.push(`setSettings:${JSON.stringify(patch)}`);
      settings = { ...settings, ...patch };
      return settings;
    },
    repairs: {
      preview: async (fixId) => (calls.push(`preview:${fixId}`), { fixId, previewId: 'p1', changes: ['Renew'], lowersSecurity: false, disruptsSessions: false }),
      apply: async (fixId, previewId) => (calls.push(`apply:${fixId}:${previewId}`), { fixId, outcome: 'fixed', message: 'Fixed.', recordId: 'r1' }),
      undo: async (recordId) => (calls.push(`undo:${recordId}`), { outcome: 'fixed', message: 'Undone.' }),
      repairAllSafe: async (fixIds) => (calls.push(`repairAllSafe:${fixIds.join(',')}`), []),
    },
    client: { history: async () => (calls.push('clientHistory'), { ok: false, problem: 'not read' }), check: async (target) => { throw new Error(`no network in this test: ${target}`); } },
  };
  return { agent, calls };
}

describe('IPC handlers', () => {
  let ipcMain: FakeIpcMain;
  let calls: string[];
  const warnings: string[] = [];

  beforeEach(() => {
    ipcMain = new FakeIpcMain();
    const recording = recordingAgent();
    calls = recording.calls;
    warnings.length = 0;
    registerIpcHandlers(ipcMain, agentActions(recording.agent), ownWindowSender(() => WINDOW_ID), { warn: (m) => warnings.push(m) });
  });

  it('registers exactly one channel per contract action', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(ACTIONS.map(channelOf).sort());
  });

  it('runs a valid request from our window and returns what the contract declares', async () => {
    await expect(ipcMain.invoke(OWN, 'rdp-health:previewFix', { fixId: 'certificate.renew' })).resolves.toEqual({
      fixId: 'certificate.renew', previewId: 'p1', changes: ['Renew'], lowersSecurity: false, disruptsSessions: false,
    });
    await expect(ipcMain.invoke(OWN, 'rdp-health:applyFix', { fixId: 'certificate.renew', previewId: 'p1' })).resolves.toMatchObject({ outcome: 'fixed', recordId: 'r1' });
    await expect(ipcMain.invoke(OWN, 'rdp-health:getHistory')).resolves.toHaveLength(1);
    await expect(ipcMain.invoke(OWN, 'rdp-health:repairAllSafe', { fixIds: ['tls.enable-tls12', 'listener.start-service'] })).resolves.toEqual([]);
    expect(calls).toEqual(['preview:certificate.renew', 'apply:certificate.renew:p1', 'getHistory:200', 'repairAllSafe:tls.enable-tls12,listener.start-service']);
  });

  it('passes on only the fields the contract declares (no log meta, no internal settings)', async () => {
    const logs = (await ipcMain.invoke(OWN, 'rdp-health:getLogs', { limit: 5 })) as object[];
    expect(logs).toEqual([{ timestamp: '2025-01-01T10:00:00Z', level: 'info', message: 'check done' }]);
    const settings = await ipcMain.invoke(OWN, 'rdp-health:getSettings');
    expect(settings).toEqual({ checkIntervalMinutes: 30, warnDays: [30, 7], notifications: true, startAtLogin: true, historyCheckMinutes: null, locked: [] });
  });

  it.each([
    ['a fix id with a command in it', 'rdp-health:previewFix', [{ fixId: 'certificate.renew; Remove-Item C:\\ -Recurse' }]],
    ['a fix id that is not probe.action', 'rdp-health:previewFix', [{ fixId: 'renew' }]],
    ['a missing fix id', 'rdp-health:previewFix', [{}]],
    ['an extra key', 'rdp-health:previewFix', [{ fixId: 'certificate.renew', script: 'x.ps1' }]],
    ['a second argument', 'rdp-health:previewFix', [{ fixId: 'certificate.renew' }, 'extra']],
    ['a string instead of an object', 'rdp-health:applyFix', ['certificate.renew']],
    ['a preview id with a path in it', 'rdp-health:applyFix', [{ fixId: 'certificate.renew', previewId: '..\\..\\x' }]],
    ['a record id with spaces', 'rdp-health:undo', [{ recordId: 'a b' }]],
    ['a payload where none is expected', 'rdp-health:checkNow', [{ force: true }]],
    ['a settings key the window may not change', 'rdp-health:setSettings', [{ logDir: 'C:\\Users\\Public' }]],
    ['a settings value out of range', 'rdp-health:setSettings', [{ checkIntervalMinutes: 1 }]],
    ['a history limit that is not a whole number', 'rdp-health:getHistory', [{ limit: 1.5 }]],
    ['repair all without the confirmed fix ids', 'rdp-health:repairAllSafe', []],
    ['repair all with an empty list', 'rdp-health:repairAllSafe', [{ fixIds: [] }]],
    ['repair all with a fix id with a command in it', 'rdp-health:repairAllSafe', [{ fixIds: ['tls.enable-tls12; Remove-Item C:\\'] }]],
    ['repair all with more than 20 fix ids', 'rdp-health:repairAllSafe', [{ fixIds: Array.from({ length: 21 }, (_, i) => `fix.n${i}`) }]],
  ])('rejects %s and runs nothing', async (_name, channel, args) => {
    await expect(ipcMain.invoke(OWN, channel, ...args)).rejects.toThrow('invalid-payload');
    expect(calls).toEqual([]);
  });

  it('rejects a channel that is not in the contract and runs nothing', async () => {
    await expect(ipcMain.invoke(OWN, 'rdp-health:runScript', { path: 'C:\\evil.ps1' })).rejects.toThrow('No handler registered');
    await expect(ipcMain.invoke(OWN, 'rdp-health:__proto__')).rejects.toThrow('No handler registered');
    expect(calls).toEqual([]);
  });

  it.each([
    ['another web contents', senderEvent(WINDOW_ID + 1, 'app://rdp-health/index.html')],
    ['a page from the web', senderEvent(WINDOW_ID, 'https://example.com/')],
    ['a file: page', senderEvent(WINDOW_ID, 'file:///C:/Users/x/evil.html')],
    ['another app:// host', senderEvent(WINDOW_ID, 'app://other/index.html')],
    ['a subframe of our window', senderEvent(WINDOW_ID, 'app://rdp-health/index.html', { subframe: true })],
    ['a frame that is gone', { sender: { id: WINDOW_ID }, senderFrame: null }],
  ])('rejects a call from %s and runs nothing', async (_name, event) => {
    await expect(ipcMain.invoke(event, 'rdp-health:checkNow')).rejects.toThrow('untrusted-sender');
    await expect(ipcMain.invoke(event, 'rdp-health:applyFix', { fixId: 'certificate.renew', previewId: 'p1' })).rejects.toThrow('untrusted-sender');
    expect(calls).toEqual([]);
    expect(warnings.length).toBe(2);
  });

  it('rejects every call while no window is open', async () => {
    const ipc = new FakeIpcMain();
    const recording = recordingAgent();
    registerIpcHandlers(ipc, agentActions(recording.agent), ownWindowSender(() => undefined), { warn: () => {} });
    await expect(ipc.invoke(OWN, 'rdp-health:getSnapshot')).rejects.toThrow('untrusted-sender');
    expect(recording.calls).toEqual([]);
  });

  it('applies start at login through the login item and reports what the OS says', async () => {
    const ipc = new FakeIpcMain();
    const recording = recordingAgent();
    let loginItem = false;
    registerIpcHandlers(ipc, agentActions(recording.agent, { get: () => loginItem, set: (on) => (loginItem = on) }), ownWindowSender(() => WINDOW_ID), { warn: () => {} });
    await expect(ipc.invoke(OWN, 'rdp-health:getSettings')).resolves.toMatchObject({ startAtLogin: false });
    await expect(ipc.invoke(OWN, 'rdp-health:setSettings', { startAtLogin: true, warnDays: [14] })).resolves.toMatchObject({ startAtLogin: true, warnDays: [14] });
    expect(loginItem).toBe(true);
    expect(recording.calls).toContain('setSettings:{"warnDays":[14],"startAtLogin":true}');
  });

  it('removes every handler when disposed', () => {
    const ipc = new FakeIpcMain();
    const dispose = registerIpcHandlers(ipc, agentActions(recordingAgent().agent), ownWindowSender(() => WINDOW_ID), { warn: () => {} });
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});
