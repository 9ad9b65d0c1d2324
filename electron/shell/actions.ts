/**
 * The actions behind the contract: one table from action to agent call, used by the Electron IPC
 * handlers and by the demo's HTTP bridge, and one `runAction` that validates a request before
 * anything runs and the response before it leaves. No Electron here.
 */
import { contract, type Action, type FixOutcome, type FixPreview, type HandlerResultOf, type LogLine, type RequestOf, type ResponseOf, type WindowSettings, type WindowStatus } from '../contract.js';
import type { LockedSetting } from '../domain/settings.js';
import type { HealthSnapshot } from '../domain/finding.js';
import { clientActions, type ClientPort } from './client-actions.js';

/** What the window needs from the agent (electron/agent/agent.ts satisfies it structurally). */
export interface AgentPort {
  getSnapshot(): HealthSnapshot | undefined;
  getStatus(): WindowStatus;
  checkNow(): Promise<HealthSnapshot>;
  getHistory(options?: { limit?: number }): Promise<HealthSnapshot[]>;
  getLogs(options?: { limit?: number }): Promise<LogLine[]>;
  getSettings(): WindowSettings;
  /** Settings the administrator's policy sets. */
  getLockedSettings(): readonly LockedSetting[];
  setSettings(patch: Partial<WindowSettings>): Promise<unknown>;
  repairs: {
    preview(fixId: string): Promise<FixPreview>;
    apply(fixId: string, previewId: string, confirmation: { confirmed: boolean }): Promise<FixOutcome>;
    undo(recordId: string, confirmation: { confirmed: boolean }): Promise<FixOutcome>;
    repairAllSafe(fixIds: readonly string[]): Promise<FixOutcome[]>;
  };
  /** The client side: RDP history and connect checks from this PC. */
  client: ClientPort;
}

/**
 * Start at login is stored in the agent's settings and carried out by the OS (login items); when
 * the OS can be asked (Electron), what it says wins: the person may have turned it off in Windows.
 */
export interface StartAtLogin {
  get(): boolean;
  set(enabled: boolean): void;
}

/**
 * One handler per action, its result typed from the contract's response schema (desktop's
 * `handle<T>`): a handler that returns the wrong shape does not compile.
 */
export type ActionHandlers = { [A in Action]: (request: RequestOf<A>) => Promise<HandlerResultOf<A>> | HandlerResultOf<A> };

export function agentActions(agent: AgentPort, loginItem?: StartAtLogin): ActionHandlers {
  const settings = (): HandlerResultOf<'getSettings'> => ({ ...agent.getSettings(), ...(loginItem ? { startAtLogin: loginItem.get() } : {}), locked: [...agent.getLockedSettings()] });
  return {
    getSnapshot: () => agent.getSnapshot() ?? null,
    getStatus: () => agent.getStatus(),
    checkNow: () => agent.checkNow(),
    previewFix: ({ fixId }) => agent.repairs.preview(fixId),
    applyFix: ({ fixId, previewId, confirmed }) => agent.repairs.apply(fixId, previewId, { confirmed: confirmed === true }),
    undo: ({ recordId, confirmed }) => agent.repairs.undo(recordId, { confirmed: confirmed === true }),
    repairAllSafe: ({ fixIds }) => agent.repairs.repairAllSafe(fixIds),
    getHistory: (request) => agent.getHistory({ limit: request?.limit ?? 200 }),
    getLogs: (request) => agent.getLogs({ limit: request?.limit ?? 50 }),
    getSettings: settings,
    setSettings: async (patch) => {
      await agent.setSettings(patch);
      if (patch.startAtLogin !== undefined) loginItem?.set(patch.startAtLogin);
      return settings();
    },
    ...clientActions(agent.client),
  };
}

/** A request refused before anything ran; `reason` is safe to show, the payload is never echoed. */
export class RejectedRequest extends Error {
  constructor(readonly reason: 'unknown-action' | 'untrusted-sender' | 'invalid-payload') {
    super(`Request rejected: ${reason}`);
    this.name = 'RejectedRequest';
  }
}

/**
 * Validates `args` (exactly zero or one payload) against the action's request schema, runs the
 * handler, and returns only what the response schema declares.
 */
export async function runAction<A extends Action>(handlers: ActionHandlers, action: A, args: readonly unknown[]): Promise<ResponseOf<A>> {
  if (!Object.hasOwn(contract, action)) throw new RejectedRequest('unknown-action');
  if (args.length > 1) throw new RejectedRequest('invalid-payload');
  const request = contract[action].request.safeParse(args[0]);
  if (!request.success) throw new RejectedRequest('invalid-payload');
  const handler = handlers[action] as (request: RequestOf<A>) => unknown;
  const result = await handler(request.data as RequestOf<A>);
  return contract[action].response.parse(result) as ResponseOf<A>;
}
