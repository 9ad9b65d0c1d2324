/**
 * The product's entry: Electron's preload puts the bridge on `window.rdpHealth`, the only way to the
 * agent. The demo has its own entry (renderer/demo/main.tsx), so its HTTP bridge never ships here.
 */
import { mountApp } from './mount.js';

mountApp(window.rdpHealth, 'Quit RDP Health from its tray icon and start it again.');
