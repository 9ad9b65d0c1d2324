import { describe, expect, it } from 'vitest';
import { TOOLTIP_MAX, trayModel, trayTooltip, worstFinding } from '../../../electron/shell/tray-model.js';
import { finding, riskyFix, safeFix, snapshot } from './snapshots.js';

const healthy = snapshot([finding('nla', 'ok', { title: 'Network Level Authentication' }), finding('certificate', 'ok')]);

describe('tray model', () => {
  it.each([
    ['ok', [finding('a', 'ok')]],
    ['warn', [finding('a', 'ok'), finding('b', 'warn')]],
    ['fail', [finding('a', 'warn'), finding('b', 'fail'), finding('c', 'unknown')]],
    ['unknown', [finding('a', 'warn'), finding('c', 'unknown')]],
  ] as const)('shows the %s icon for a snapshot whose worst status is that', (icon, findings) => {
    expect(trayModel({ snapshot: snapshot([...findings]), checking: false, startAtLogin: false }).icon).toBe(icon);
  });

  it('shows the checking icon while a check runs, whatever the last result', () => {
    expect(trayModel({ snapshot: healthy, checking: true, startAtLogin: false }).icon).toBe('checking');
  });

  it('shows unknown before the first check', () => {
    const model = trayModel({ snapshot: undefined, checking: false, startAtLogin: false });
    expect(model.icon).toBe('unknown');
    expect(model.tooltip).toBe('RDP Health: not checked yet');
  });

  it('says the state and names the worst problem in the tooltip', () => {
    const s = snapshot([finding('nla', 'warn', { title: 'Network Level Authentication' }), finding('certificate', 'fail', { title: 'RDP certificate' }), finding('tls', 'fail', { title: 'TLS versions' })]);
    expect(trayTooltip(s, false)).toBe('RDP Health: connections will fail - RDP certificate (+2 more)');
    expect(trayTooltip(healthy, false)).toBe('RDP Health: all checks passed');
  });

  it('ranks unknown above warn and below fail when choosing the worst problem', () => {
    expect(worstFinding(snapshot([finding('a', 'warn'), finding('b', 'unknown')]))?.probeId).toBe('b');
    expect(worstFinding(snapshot([finding('a', 'unknown'), finding('b', 'fail'), finding('c', 'fail')]))?.probeId).toBe('b');
    expect(worstFinding(healthy)).toBeUndefined();
  });

  it('keeps the tooltip within the 127 characters Windows shows, shortening the title, not the state', () => {
    const long = snapshot([finding('certificate', 'fail', { title: 'A certificate title that goes on and on '.repeat(6) }), finding('x', 'warn')]);
    for (const checking of [false, true]) {
      const tooltip = trayTooltip(long, checking);
      expect(tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
      expect(tooltip).toContain('connections will fail');
      expect(tooltip).toMatch(/… \(\+1 more\)$/);
    }
  });

  it('offers the menu in order: Open, Check now, Repair safe problems…, Start at login, Quit', () => {
    const model = trayModel({ snapshot: healthy, checking: false, startAtLogin: true });
    expect(model.menu.map((item) => item.label)).toEqual(['Open RDP Health', 'Check now', 'Repair safe problems…', 'Start at login', 'Quit']);
    expect(model.menu.find((item) => item.action === 'start-at-login')).toMatchObject({ type: 'checkbox', checked: true });
  });

  it('counts only safe fixes of problems for "Repair safe problems…", and disables it when there are none', () => {
    const s = snapshot([
      finding('certificate', 'fail', { fixes: [safeFix()] }),
      finding('security-layer', 'warn', { fixes: [riskyFix()] }),
      finding('nla', 'ok', { fixes: [safeFix('nla.enable')] }),
    ]);
    const repair = (input: Parameters<typeof trayModel>[0]) => trayModel(input).menu.find((item) => item.action === 'repair-safe');
    expect(repair({ snapshot: s, checking: false, startAtLogin: false })).toMatchObject({ label: 'Repair safe problems (1)…', enabled: true });
    expect(repair({ snapshot: healthy, checking: false, startAtLogin: false })?.enabled).toBe(false);
    expect(repair({ snapshot: s, checking: true, startAtLogin: false })?.enabled).toBe(false);
  });

  it('disables Check now while a check runs', () => {
    const item = trayModel({ snapshot: healthy, checking: true, startAtLogin: false }).menu[1];
    expect(item).toMatchObject({ action: 'check-now', label: 'Checking…', enabled: false });
  });
});
