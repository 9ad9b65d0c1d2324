/**
 * A fake of the preload's bridge for component tests (electron/fiddle's tests/mocks is the model):
 * every method of RendererBridge, answering from `answers` (overridable per test), recording each
 * call, and pushes the test sends with `push`. No Electron, no agent: the page's seam only.
 */
import type { RendererBridge } from '../../../electron/preload.js';
import type { EventName, EventOf, HealthSnapshot } from '../../../electron/contract.js';

type Answers = { [K in keyof RendererBridge]?: RendererBridge[K] };
export interface BridgeCall {
  method: keyof RendererBridge;
  args: unknown[];
}

const EVENT_OF = { onSnapshot: 'snapshot', onChecking: 'checking', onNavigate: 'navigate' } as const;

export class FakeBridge {
  readonly calls: BridgeCall[] = [];
  private readonly listeners = new Map<EventName, Set<(value: never) => void>>();

  constructor(snapshot: HealthSnapshot | null, private readonly answers: Answers = {}) {
    this.defaults = {
      getSnapshot: async () => snapshot,
      getStatus: async () => ({ checking: false, problems: [] }),
      checkNow: async () => snapshot ?? Promise.reject(new Error('no snapshot')),
      getHistory: async () => (snapshot ? [snapshot] : []),
      getLogs: async () => [],
      getSettings: async () => ({ checkIntervalMinutes: 30, warnDays: [30, 14, 7], notifications: true, startAtLogin: true, historyCheckMinutes: null, locked: [] }),
      clientHistory: async () => ({ targets: [], unusableFiles: [], problem: null }),
    };
  }

  private readonly defaults: Answers;

  /** The API the page sees: each call recorded, then answered (an unanswered action fails loudly). */
  get api(): RendererBridge {
    const api = {} as Record<string, (...args: unknown[]) => unknown>;
    const methods: Array<keyof RendererBridge> = ['getSnapshot', 'getStatus', 'checkNow', 'previewFix', 'applyFix', 'undo', 'repairAllSafe', 'getHistory', 'getLogs', 'getSettings', 'setSettings', 'clientHistory', 'connect'];
    for (const method of methods) {
      api[method] = (...args: unknown[]) => {
        this.calls.push({ method, args });
        const answer = (this.answers[method] ?? this.defaults[method]) as ((...a: unknown[]) => unknown) | undefined;
        return answer ? answer(...args) : Promise.reject(new Error(`the fake bridge has no answer for ${method}`));
      };
    }
    for (const [method, event] of Object.entries(EVENT_OF)) {
      api[method] = (callback: unknown) => {
        const set = this.listeners.get(event) ?? new Set();
        this.listeners.set(event, set);
        set.add(callback as (value: never) => void);
        return () => set.delete(callback as (value: never) => void);
      };
    }
    return api as unknown as RendererBridge;
  }

  /** A push from the agent, as the preload delivers it. */
  push<E extends EventName>(event: E, value: EventOf<E>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (value: EventOf<E>) => void)(value);
  }

  callsOf(method: keyof RendererBridge): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }
}
