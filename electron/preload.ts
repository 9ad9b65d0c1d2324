/**
 * The window's only door to the agent: one named method per action, nothing generic (no
 * send/invoke/on passed through). Runs sandboxed, so it is built as one CommonJS file that
 * requires nothing but `electron`; it imports only types from the contract, never its values.
 * The renderer's type is `RendererBridge = typeof api`, not a hand-kept copy.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Action, ArgsOf, ChannelOf, EventChannelOf, EventName, EventOf, ResponseOf } from './contract.js';

function invoke<A extends Action>(action: A, ...args: ArgsOf<A>): Promise<ResponseOf<A>> {
  const channel: ChannelOf<A> = `rdp-health:${action}`;
  // Exactly the payload, never extra arguments: main validates args[0] and rejects more.
  return ipcRenderer.invoke(channel, ...args) as Promise<ResponseOf<A>>;
}

/**
 * Subscribes to one push and returns the unsubscribe. (Not an AbortSignal parameter: the context
 * bridge copies DOM objects without their methods; a returned function crosses it intact, and the
 * page can hang it on its own signal: `signal.addEventListener('abort', bridge.onSnapshot(cb))`.)
 */
function subscribe<E extends EventName>(event: E, callback: (value: EventOf<E>) => void): () => void {
  const channel: EventChannelOf<E> = `rdp-health:event:${event}`;
  // Never hand the IpcRendererEvent to the page: it carries `sender`, an ipcRenderer handle.
  const listener = (_event: IpcRendererEvent, value: EventOf<E>) => callback(value);
  ipcRenderer.on(channel, listener);
  return () => {
    ipcRenderer.removeListener(channel, listener);
  };
}

const api = {
  getSnapshot: () => invoke('getSnapshot'),
  getStatus: () => invoke('getStatus'),
  checkNow: () => invoke('checkNow'),
  previewFix: (fixId: string) => invoke('previewFix', { fixId }),
  applyFix: (fixId: string, previewId: string, confirmed: boolean) => invoke('applyFix', { fixId, previewId, confirmed }),
  undo: (recordId: string, confirmed: boolean) => invoke('undo', { recordId, confirmed }),
  repairAllSafe: (fixIds: string[]) => invoke('repairAllSafe', { fixIds }),
  getHistory: (limit?: number) => invoke('getHistory', limit === undefined ? undefined : { limit }),
  getLogs: (limit?: number) => invoke('getLogs', limit === undefined ? undefined : { limit }),
  getSettings: () => invoke('getSettings'),
  setSettings: (patch: ArgsOf<'setSettings'>[0]) => invoke('setSettings', patch),
  clientHistory: () => invoke('clientHistory'),
  connect: (target: string) => invoke('connect', { target }),
  onSnapshot: (callback: (snapshot: EventOf<'snapshot'>) => void) => subscribe('snapshot', callback),
  onChecking: (callback: (checking: boolean) => void) => subscribe('checking', callback),
  onNavigate: (callback: (to: EventOf<'navigate'>) => void) => subscribe('navigate', callback),
};

export type RendererBridge = typeof api;

// The page finds it as `window.rdpHealth` (renderer/bridge.ts).
contextBridge.exposeInMainWorld('rdpHealth', api);
