/**
 * The page's one way to the agent. Its type is the preload's `typeof api` (never a copy); in
 * Electron the preload puts it on `window.rdpHealth`, in the demo bridge-http.ts builds the same
 * API over HTTP.
 */
import type { RendererBridge } from '../electron/preload.js';

export type { RendererBridge };
export type { AgentProblem, AgentStatus, FixOutcome, FixPreview, HealthSnapshot, LogEntry, Navigation, Settings, SettingsView } from '../electron/contract.js';
export type { Finding, FixDescriptor, Status } from '../probes/common/finding.js';

declare global {
  interface Window {
    rdpHealth?: RendererBridge;
  }
}
