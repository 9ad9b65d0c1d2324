/**
 * The bridge over HTTP, for the demo server (electron/demo/server.ts): the same RendererBridge the
 * preload exposes, each method a POST to /api/<action>, pushes read from a server-sent event
 * stream. Only the demo's entry (renderer/demo/main.tsx) bundles it. The per-run token comes from the URL fragment (never sent to the server by the browser
 * on its own) and goes in a header on every request.
 */
import type { Action, ArgsOf, EventName, EventOf, ResponseOf } from '../../electron/contract.js';
import { DEMO_TOKEN_HEADER } from '../../electron/demo-token.js';
import type { RendererBridge } from '../bridge.js';

export function tokenFromHash(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? undefined;
}

type Listener = (value: unknown) => void;

/** Splits an SSE byte stream into events; returns what is left of an unfinished one. */
export function parseEvents(buffer: string, emit: (event: string, data: string) => void): string {
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) emit(event, data.join('\n'));
  }
  return rest;
}

export function createHttpBridge(token: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): RendererBridge {
  const headers = { [DEMO_TOKEN_HEADER]: token };

  async function call<A extends Action>(action: A, ...args: ArgsOf<A>): Promise<ResponseOf<A>> {
    const response = await fetchImpl(`/api/${action}`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(args.length > 0 && args[0] !== undefined ? { payload: args[0] } : {}),
    });
    const body = (await response.json().catch(() => ({}))) as { value?: unknown; error?: string };
    if (!response.ok) throw new Error(body.error ?? `The agent answered ${response.status}.`);
    return body.value as ResponseOf<A>;
  }

  const listeners = new Map<string, Set<Listener>>();
  let streaming = false;

  async function stream(): Promise<void> {
    streaming = true;
    while ([...listeners.values()].some((set) => set.size > 0)) {
      try {
        const response = await fetchImpl('/api/events', { headers });
        if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer = parseEvents(buffer + value, (event, data) => {
            for (const listener of listeners.get(event) ?? []) listener(JSON.parse(data));
          });
        }
      } catch {
        // The server restarted or the connection dropped: try again shortly.
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    streaming = false;
  }

  function subscribe<E extends EventName>(event: E, callback: (value: EventOf<E>) => void): () => void {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    const listener: Listener = (value) => callback(value as EventOf<E>);
    set.add(listener);
    if (!streaming) void stream();
    return () => {
      set.delete(listener);
    };
  }

  return {
    getSnapshot: () => call('getSnapshot'),
    getStatus: () => call('getStatus'),
    checkNow: () => call('checkNow'),
    previewFix: (fixId: string) => call('previewFix', { fixId }),
    applyFix: (fixId: string, previewId: string, confirmed: boolean) => call('applyFix', { fixId, previewId, confirmed }),
    undo: (recordId: string, confirmed: boolean) => call('undo', { recordId, confirmed }),
    repairAllSafe: (fixIds: string[]) => call('repairAllSafe', { fixIds }),
    getHistory: (limit?: number) => call('getHistory', limit === undefined ? undefined : { limit }),
    getLogs: (limit?: number) => call('getLogs', limit === undefined ? undefined : { limit }),
    getSettings: () => call('getSettings'),
    setSettings: (patch) => call('setSettings', patch),
    clientHistory: () => call('clientHistory'),
    connect: (target: string) => call('connect', { target }),
    onSnapshot: (callback) => subscribe('snapshot', callback),
    onChecking: (callback) => subscribe('checking', callback),
    onNavigate: (callback) => subscribe('navigate', callback),
  };
}
