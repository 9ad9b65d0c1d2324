/**
 * The demo's entry (`npm run demo`, built by electron.vite.config.ts's demoRendererConfig): the same
 * window, its bridge over HTTP to the demo server, authorised by the per-run token in the address.
 */
import type { RendererBridge } from '../bridge.js';
import { mountApp } from '../mount.js';
import { createHttpBridge, tokenFromHash } from './bridge-http.js';

const TOKEN_KEY = 'rdp-health-demo-token';

function pickBridge(): RendererBridge | undefined {
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

mountApp(pickBridge(), 'Open the address the demo printed, including the part after #.');
