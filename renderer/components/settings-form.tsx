import { useEffect, useState, type FormEvent } from 'react';
import type { SettingsView, WindowSettings } from '../bridge.js';
import { HISTORY_CHECK_CHOICES, SCHEDULE_CHOICES, formatWarnDays, parseWarnDays, scheduleLabel, settingsChanged } from '../settings-form.js';

interface Props {
  settings: SettingsView | undefined;
  onSave: (patch: Partial<WindowSettings>) => Promise<SettingsView>;
}

const BY_POLICY = 'Set by your administrator';

function PolicyNote({ show }: { show: boolean }) {
  return show ? <span className="hint policy">{BY_POLICY}</span> : null;
}

export function SettingsForm({ settings, onSave }: Props) {
  const [intervalMinutes, setIntervalMinutes] = useState(30);
  const [warnDays, setWarnDays] = useState('');
  const [notifications, setNotifications] = useState(true);
  const [startAtLogin, setStartAtLogin] = useState(true);
  const [historyCheckMinutes, setHistoryCheckMinutes] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState('');

  useEffect(() => {
    if (!settings) return;
    setIntervalMinutes(settings.checkIntervalMinutes);
    setWarnDays(formatWarnDays(settings.warnDays));
    setNotifications(settings.notifications);
    setStartAtLogin(settings.startAtLogin);
    setHistoryCheckMinutes(settings.historyCheckMinutes);
  }, [settings]);

  if (!settings) return <p>Loading settings…</p>;
  const locked = new Set(settings.locked);
  const choices = SCHEDULE_CHOICES.includes(settings.checkIntervalMinutes as never) ? SCHEDULE_CHOICES : [...SCHEDULE_CHOICES, settings.checkIntervalMinutes].sort((a, b) => a - b);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const days = parseWarnDays(warnDays);
    if (!days.ok) {
      setProblem(days.message);
      setMessage('');
      return;
    }
    setProblem('');
    // What the policy sets is never sent: the agent would refuse the whole change.
    const patch = Object.fromEntries(
      Object.entries(settingsChanged(settings, { checkIntervalMinutes: intervalMinutes, warnDays: days.value, notifications, startAtLogin, historyCheckMinutes })).filter(([key]) => !locked.has(key as never)),
    ) as Partial<WindowSettings>;
    if (Object.keys(patch).length === 0) {
      setMessage('Nothing to save.');
      return;
    }
    onSave(patch).then(
      () => setMessage('Saved.'),
      (error: unknown) => setProblem(`Not saved: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  return (
    <form className="settings" onSubmit={submit} noValidate>
      <label>
        Check
        <select value={intervalMinutes} onChange={(e) => setIntervalMinutes(Number(e.target.value))} disabled={locked.has('checkIntervalMinutes')}>
          {choices.map((minutes) => (
            <option key={minutes} value={minutes}>
              {scheduleLabel(minutes)}
            </option>
          ))}
        </select>
        <PolicyNote show={locked.has('checkIntervalMinutes')} />
      </label>
      <label>
        Warn this many days before the certificate expires
        <input
          type="text"
          inputMode="numeric"
          value={warnDays}
          onChange={(e) => setWarnDays(e.target.value)}
          aria-invalid={problem !== ''}
          disabled={locked.has('warnDays')}
          aria-describedby="warn-days-hint settings-problem"
        />
        <span id="warn-days-hint" className="hint">
          Numbers separated by commas, e.g. 30, 14, 7
        </span>
        <PolicyNote show={locked.has('warnDays')} />
      </label>
      <label>
        Check the computers in my Remote Desktop history
        <select value={historyCheckMinutes ?? 'off'} onChange={(e) => setHistoryCheckMinutes(e.target.value === 'off' ? null : Number(e.target.value))}>
          <option value="off">Only when I ask</option>
          {[...new Set([...HISTORY_CHECK_CHOICES, ...(historyCheckMinutes === null ? [] : [historyCheckMinutes])])].map((minutes) => (
            <option key={minutes} value={minutes}>
              {scheduleLabel(minutes)}
            </option>
          ))}
        </select>
        <span className="hint">Each check connects to those computers (at most ten, one after another).</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={notifications} onChange={(e) => setNotifications(e.target.checked)} disabled={locked.has('notifications')} /> Show notifications
        <PolicyNote show={locked.has('notifications')} />
      </label>
      <label className="check">
        <input type="checkbox" checked={startAtLogin} onChange={(e) => setStartAtLogin(e.target.checked)} disabled={locked.has('startAtLogin')} /> Start at login
        <PolicyNote show={locked.has('startAtLogin')} />
      </label>
      <div className="settings-actions">
        <button type="submit">Save settings</button>
        <span role="status">{message}</span>
        <span id="settings-problem" role="alert" className="problem">
          {problem}
        </span>
      </div>
    </form>
  );
}
