import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import type { RendererBridge } from './bridge.js';
import { createHttpBridge, tokenFromHash } from './bridge-http.js';
import './styles.css';

/** Electron's preload provides the bridge; without it (the demo in a browser) it goes over HTTP. */
function pickBridge(): RendererBridge | undefined {
  if (window.rdpHealth) return window.rdpHealth;
  const token = tokenFromHash(window.location.hash);
  if (!token) return undefined;
  // Out of the address bar and history once read: the token is the demo's only credential.
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return createHttpBridge(token);
}

const root = createRoot(document.getElementById('root')!);
const bridge = pickBridge();
root.render(
  <StrictMode>
    {bridge ? (
      <App bridge={bridge} />
    ) : (
      <main>
        <h1>RDP Health cannot reach its agent</h1>
        <p>Open the address the demo printed, including the part after #.</p>
      </main>
    )}
  </StrictMode>,
);
