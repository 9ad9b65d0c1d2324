/**
 * The page's one way to the agent. Its type is the preload's `typeof api` (never a copy); in
 * Electron the preload puts it on `window.rdpHealth`, in the demo bridge-http.ts builds the same
 * API over HTTP.
 */
import type { RendererBridge } from '../electron/preload.js';

export type { RendererBridge };
export type { AgentProblem, FixOutcome, FixPreview, HealthSnapshot, LogLine, Navigation, SettingsView, WindowSettings, WindowStatus } from '../electron/contract.js';
export type { Finding, FixDescriptor, Status } from '../electron/domain/finding.js';

declare global {
  interface Window {
    rdpHealth?: RendererBridge;
  }
}
