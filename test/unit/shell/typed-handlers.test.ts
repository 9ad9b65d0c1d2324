// The action handlers are typed from the contract's response schemas (desktop's `handle<T>`): the
// compiler refuses a handler of the wrong shape (the @ts-expect-error lines fail `npm run
// typecheck` if it ever stops), and at run time only what the schema declares reaches the page.
import { describe, expect, it } from 'vitest';
import { agentActions, runAction, type ActionHandlers, type AgentPort } from '../../../electron/shell/actions.js';

// @ts-expect-error a status without `checking` is not what getStatus answers
const noChecking: ActionHandlers['getStatus'] = () => ({ nextCheckAt: '2026-01-01T00:00:00.000Z' });
// @ts-expect-error a log line needs a message
const noMessage: ActionHandlers['getLogs'] = async () => [{ timestamp: 't', level: 'info' }];
// @ts-expect-error a preview's changes are lines, not a count
const countedChanges: ActionHandlers['previewFix'] = async ({ fixId }) => ({ fixId, previewId: 'p1', changes: 2, lowersSecurity: false, disruptsSessions: false });
// @ts-expect-error a locked setting is one of the window's settings
const unknownLock: ActionHandlers['getSettings'] = () => ({ checkIntervalMinutes: 30, warnDays: [7], notifications: true, startAtLogin: true, locked: ['shell'] });

describe('contract-typed handlers', () => {
  it('the mistyped handlers above would also be refused at run time', async () => {
    const handlers = { getStatus: noChecking, getLogs: noMessage, previewFix: countedChanges, getSettings: unknownLock } as unknown as ActionHandlers;
    await expect(runAction(handlers, 'getStatus', [])).rejects.toThrow();
    await expect(runAction(handlers, 'getLogs', [])).rejects.toThrow();
    await expect(runAction(handlers, 'previewFix', [{ fixId: 'nla.enable' }])).rejects.toThrow();
    await expect(runAction(handlers, 'getSettings', [])).rejects.toThrow();
  });

  it('a handler may return more than the contract declares; the page gets only the declared fields', async () => {
    const agent = {
      getLogs: async () => [{ timestamp: '2026-01-01T00:00:00.000Z', level: 'info', message: 'checked', user: 'alice', path: 'C:\\secret' }],
    } as unknown as AgentPort;
    expect(await runAction(agentActions(agent), 'getLogs', [])).toEqual([{ timestamp: '2026-01-01T00:00:00.000Z', level: 'info', message: 'checked' }]);
  });
});
