import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import type { RendererBridge } from './bridge.js';
import { createHttpBridge, tokenFromHash } from './bridge-http.js';
import { askFirst } from './use-agent.js';
import './styles.css';

const TOKEN_KEY = 'rdp-health-demo-token';

/** Electron's preload provides the bridge; without it (the demo in a browser) it goes over HTTP. */
function pickBridge(): RendererBridge | undefined {
  if (window.rdpHealth) return window.rdpHealth;
  const fromAddress = tokenFromHash(window.location.hash);
  if (fromAddress) {
    // Out of the address bar and history once read: the token is the demo's only credential.
    // This tab keeps it (sessionStorage: this origin, this tab only) so a reload still works.
    window.sessionStorage.setItem(TOKEN_KEY, fromAddress);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  const token = fromAddress ?? window.sessionStorage.getItem(TOKEN_KEY);
  return token ? createHttpBridge(token) : undefined;
}

const bridge = pickBridge();
// Before React starts: the first state is on its way while the page renders (the cold-start path).
const first = bridge ? askFirst(bridge) : undefined;
const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    {bridge ? (
      <App bridge={bridge} first={first} />
    ) : (
      <main>
        <h1>RDP Health cannot reach its agent</h1>
        <p>Open the address the demo printed, including the part after #.</p>
      </main>
    )}
  </StrictMode>,
);
