import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Navigation, RendererBridge } from './bridge.js';
import { AgentProblems } from './components/agent-problems.js';
import { ConnectView } from './components/connect-view.js';
import { HistoryStrip } from './components/history-strip.js';
import { ProbeList, probeElementId } from './components/probe-list.js';
import { RecentLog } from './components/recent-log.js';
import { RepairAllDialog } from './components/repair-all-dialog.js';
import { RepairDialog, useRepair } from './components/repair-dialog.js';
import { SettingsForm } from './components/settings-form.js';
import { StatusHeader } from './components/status-header.js';
import { useAgent, type FirstAnswers } from './use-agent.js';
import { repairAllPlan } from '../electron/domain/repair-plan.js';

export const FIRST_SNAPSHOT_MARK = 'rdp-health:first-snapshot';

function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function App({ bridge, first }: { bridge: RendererBridge; first?: FirstAnswers }) {
  const [repairAllOpen, setRepairAllOpen] = useState(false);
  const repair = useRepair(bridge);

  const onNavigate = useCallback((to: Navigation) => {
    if (to.to === 'repair-all') setRepairAllOpen(true);
    if (to.to === 'probe') {
      // After the next paint, so a probe that just appeared is there to focus.
      requestAnimationFrame(() => {
        const element = document.getElementById(probeElementId(to.probeId));
        // A check that passed may be folded away: unfold it first.
        const folded = element?.closest('details');
        if (folded) folded.open = true;
        element?.scrollIntoView({ block: 'center' });
        element?.focus();
      });
    }
  }, []);

  const { view, checkNow, saveSettings } = useAgent(bridge, onNavigate, first);
  const now = useNow(30_000);
  const findings = view.snapshot?.findings ?? [];
  const safe = useMemo(() => repairAllPlan(findings), [findings]);
  const busy = repair.state.step !== 'closed' || repairAllOpen;
  const shown = Boolean(view.snapshot);
  const lastKnown = view.lastKnownAt !== undefined && view.snapshot?.startedAt === view.lastKnownAt;
  const connectPlace = view.snapshot === undefined ? 'none' : view.snapshot?.notAnRdpHost ? 'first' : 'after-checks';
  useEffect(() => {
    // User Timing mark (devtools, the renderer benchmark): when the first results were on screen.
    if (shown && performance.getEntriesByName(FIRST_SNAPSHOT_MARK).length === 0) performance.mark(FIRST_SNAPSHOT_MARK);
  }, [shown]);

  return (
    <>
      <StatusHeader snapshot={view.snapshot} lastKnown={lastKnown} checking={view.checking} nextCheckAt={view.nextCheckAt} hostChecker={view.hostChecker} now={now} onCheckNow={() => void checkNow()} />
      <main>
        <AgentProblems problems={view.problems} />
        {view.error ? (
          <p className="error" role="alert">
            {view.error}
          </p>
        ) : null}
        {/* A PC that is not an RDP host leads with the client side; on a host it follows the checks (placed once the first snapshot says which). */}
        {connectPlace === 'first' ? <ConnectView bridge={bridge} onRepair={repair.open} busy={busy} /> : null}
        <section aria-labelledby="checks-title">
          <div className="section-head">
            <h2 id="checks-title">Checks</h2>
            {safe.length > 0 ? (
              <button type="button" onClick={() => setRepairAllOpen(true)} disabled={busy}>
                Repair all safe problems
              </button>
            ) : null}
          </div>
          {view.snapshot ? <ProbeList findings={findings} busy={busy} onRepair={repair.open} /> : <p>{view.checking || view.snapshot === undefined ? 'The first check is running…' : 'No results yet.'}</p>}
        </section>
        {connectPlace === 'after-checks' ? <ConnectView bridge={bridge} onRepair={repair.open} busy={busy} /> : null}
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <HistoryStrip history={view.history} now={now} />
        </section>
        <section aria-labelledby="log-title">
          <h2 id="log-title">Recent log</h2>
          <RecentLog logs={view.logs} />
        </section>
        <section aria-labelledby="settings-title">
          <h2 id="settings-title">Settings</h2>
          <SettingsForm settings={view.settings} onSave={saveSettings} />
        </section>
      </main>
      <RepairDialog repair={repair} />
      {repairAllOpen ? <RepairAllDialog bridge={bridge} fixes={safe} onClose={() => setRepairAllOpen(false)} /> : null}
    </>
  );
}
