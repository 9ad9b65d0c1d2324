/** The agent's state as the page sees it: loaded once, then kept current by the bridge's pushes. */
import { useCallback, useEffect, useState } from 'react';
import type { AgentProblem, HealthSnapshot, LogLine, Navigation, RendererBridge, SettingsView, WindowSettings, WindowStatus } from './bridge.js';

export interface AgentView {
  snapshot: HealthSnapshot | null | undefined;
  checking: boolean;
  nextCheckAt: string | undefined;
  /** The host checker's snapshot is shown, or why this agent checked by itself. */
  hostChecker: WindowStatus['hostChecker'];
  /** The agent's own problems (settings, log, data folder). */
  problems: AgentProblem[];
  /** While the shown snapshot is the last known one from history: its startedAt. */
  lastKnownAt: string | undefined;
  history: HealthSnapshot[];
  logs: LogLine[];
  settings: SettingsView | undefined;
  error: string | undefined;
}

// The whole history file (its bound): the strip chooses the range (day, week, month) from it.
const HISTORY_LIMIT = 1000;
const LOG_LIMIT = 40;

/**
 * The first snapshot and status, asked for before React renders anything (main.tsx), so that they are
 * on their way while the page starts: the last known state is then on screen as soon as it arrives.
 */
export interface FirstAnswers {
  snapshot: Promise<HealthSnapshot | null>;
  status: Promise<WindowStatus>;
}

export function askFirst(bridge: RendererBridge): FirstAnswers {
  const answers = { snapshot: bridge.getSnapshot(), status: bridge.getStatus() };
  // Handled where they are used (useAgent); this only keeps an early failure from being "unhandled".
  answers.snapshot.catch(() => undefined);
  answers.status.catch(() => undefined);
  return answers;
}

const fromStatus = (status: WindowStatus) => ({ nextCheckAt: status.nextCheckAt, hostChecker: status.hostChecker, problems: status.problems ?? [], lastKnownAt: status.lastKnownAt });

export function useAgent(bridge: RendererBridge, onNavigate: (to: Navigation) => void, first?: FirstAnswers) {
  const [view, setView] = useState<AgentView>({ snapshot: undefined, checking: false, nextCheckAt: undefined, hostChecker: undefined, problems: [], lastKnownAt: undefined, history: [], logs: [], settings: undefined, error: undefined });
  const patch = useCallback((next: Partial<AgentView>) => setView((current) => ({ ...current, ...next })), []);
  const fail = useCallback((error: unknown) => patch({ error: error instanceof Error ? error.message : String(error) }), [patch]);

  const refreshRecords = useCallback(async () => {
    const [history, logs, status, settings] = await Promise.all([bridge.getHistory(HISTORY_LIMIT), bridge.getLogs(LOG_LIMIT), bridge.getStatus(), bridge.getSettings()]);
    // Each check re-reads the administrator's policy, so settings can change with a snapshot; an
    // unchanged answer keeps the same object, so the form keeps what the person is typing.
    setView((current) => ({
      ...current,
      history,
      logs,
      ...fromStatus(status),
      settings: JSON.stringify(current.settings) === JSON.stringify(settings) ? current.settings : settings,
    }));
  }, [bridge]);

  useEffect(() => {
    const unsubscribe = [
      bridge.onSnapshot((snapshot) => {
        patch({ snapshot, error: undefined });
        refreshRecords().catch(fail);
      }),
      bridge.onChecking((checking) => patch({ checking })),
      bridge.onNavigate(onNavigate),
    ];
    // Each answer is shown as it arrives. The snapshot and status (which says "last known") come first;
    // history, log and settings are asked for once the snapshot is there, so they do not compete with it.
    const answers = first ?? askFirst(bridge);
    answers.snapshot
      // A push may have arrived first; it is newer than what was asked for.
      .then((snapshot) => setView((current) => ({ ...current, snapshot: current.snapshot ?? snapshot })))
      .catch(fail)
      .finally(() => refreshRecords().catch(fail));
    answers.status.then((status) => patch({ checking: status.checking, ...fromStatus(status) })).catch(fail);
    return () => unsubscribe.forEach((off) => off());
  }, [bridge, onNavigate, patch, fail, refreshRecords, first]);

  const checkNow = useCallback(async () => {
    patch({ checking: true });
    try {
      const snapshot = await bridge.checkNow();
      patch({ snapshot, checking: false, error: undefined });
      await refreshRecords();
    } catch (error) {
      fail(error);
    }
  }, [bridge, patch, fail, refreshRecords]);

  const saveSettings = useCallback(
    async (next: Partial<WindowSettings>) => {
      const settings = await bridge.setSettings(next);
      patch({ settings });
      return settings;
    },
    [bridge, patch],
  );

  return { view, checkNow, saveSettings, refreshRecords, setSnapshot: (snapshot: HealthSnapshot) => patch({ snapshot }) };
}
