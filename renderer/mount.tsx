import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import type { RendererBridge } from './bridge.js';
import { askFirst } from './use-agent.js';
import './styles.css';

/** Renders the window on its bridge, or says plainly that there is no agent to talk to. */
export function mountApp(bridge: RendererBridge | undefined, whatToDo: ReactNode): void {
  // Before React starts: the first state is on its way while the page renders (the cold-start path).
  const first = bridge ? askFirst(bridge) : undefined;
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      {bridge ? (
        <App bridge={bridge} first={first} />
      ) : (
        <main>
          <h1>RDP Health cannot reach its agent</h1>
          <p>{whatToDo}</p>
        </main>
      )}
    </StrictMode>,
  );
}
