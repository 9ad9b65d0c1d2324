/**
 * What the tray shows, as a pure function of the latest snapshot and whether a check is running:
 * the icon, the tooltip (state + worst problem in a few words; Windows cuts tooltips at 127
 * characters) and the menu. tray.ts only draws it.
 */
import { countsForOverall, isWorse, type Finding, type HealthSnapshot, type Status } from '../domain/finding.js';
import { repairAllPlan } from '../domain/repair.js';
import { PRODUCT_NAME } from './app-identity.js';

export type TrayIconName = Status | 'checking';
export type TrayAction = 'open' | 'check-now' | 'repair-safe' | 'start-at-login' | 'quit';

export interface TrayMenuItem {
  action: TrayAction;
  label: string;
  type: 'normal' | 'checkbox';
  enabled: boolean;
  checked?: boolean;
  /** Draw a separator above this item. */
  separatorBefore?: boolean;
}

export interface TrayModel {
  icon: TrayIconName;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayInput {
  snapshot: HealthSnapshot | undefined;
  checking: boolean;
  startAtLogin: boolean;
  /** The snapshot is the last known one from history: the icon shows it (not "checking") while the first check runs. */
  lastKnown?: boolean;
}

export const TOOLTIP_MAX = 127;

const STATE_WORDS: Record<Status, string> = {
  ok: 'all checks passed',
  warn: 'needs attention',
  fail: 'connections will fail',
  unknown: 'some checks could not run',
};

/** The first finding of the worst status (display order breaks ties). */
export function worstFinding(snapshot: HealthSnapshot): Finding | undefined {
  let worst: Finding | undefined;
  for (const finding of snapshot.findings) {
    if (finding.status !== 'ok' && countsForOverall(finding) && (!worst || isWorse(finding.status, worst.status))) worst = finding;
  }
  return worst;
}

export function safeFixCount(snapshot: HealthSnapshot | undefined): number {
  return snapshot ? repairAllPlan(snapshot.findings).length : 0;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

export function trayTooltip(snapshot: HealthSnapshot | undefined, checking: boolean, lastKnown = false): string {
  if (!snapshot) return clip(`${PRODUCT_NAME}: ${checking ? 'checking…' : 'not checked yet'}`, TOOLTIP_MAX);
  // Not a host by design (a Home edition …): say so, not "some checks could not run".
  if (snapshot.notAnRdpHost) return clip(`${PRODUCT_NAME}: this PC does not accept Remote Desktop connections (it can connect to others)`, TOOLTIP_MAX);
  const needHostChecker = snapshot.findings.filter((f) => !countsForOverall(f)).length;
  // "All checks passed" would claim the checks the user's rights could not run.
  const state = snapshot.overall === 'ok' && needHostChecker > 0 ? 'no problems found' : STATE_WORDS[snapshot.overall];
  const prefix = lastKnown ? 'last known: ' : checking ? 'checking… last result: ' : '';
  const head = `${PRODUCT_NAME}: ${prefix}${state}`;
  const worst = worstFinding(snapshot);
  if (!worst) return clip(needHostChecker > 0 ? `${head} - ${needHostChecker} ${needHostChecker === 1 ? 'check needs' : 'checks need'} the host checker` : head, TOOLTIP_MAX);
  const others = snapshot.findings.filter((f) => f.status !== 'ok' && countsForOverall(f)).length - 1;
  const more = others > 0 ? ` (+${others} more)` : '';
  // The head and the count always fit; the problem's title gives way.
  const room = TOOLTIP_MAX - head.length - more.length - 3;
  return room < 8 ? clip(head, TOOLTIP_MAX) : `${head} - ${clip(worst.title, room)}${more}`;
}

export function trayModel({ snapshot, checking, startAtLogin, lastKnown = false }: TrayInput): TrayModel {
  const fixes = safeFixCount(snapshot);
  const showLastKnown = lastKnown && snapshot !== undefined;
  return {
    icon: checking && !showLastKnown ? 'checking' : (snapshot?.overall ?? 'unknown'),
    tooltip: trayTooltip(snapshot, checking, showLastKnown),
    menu: [
      { action: 'open', label: `Open ${PRODUCT_NAME}`, type: 'normal', enabled: true },
      { action: 'check-now', label: checking ? 'Checking…' : 'Check now', type: 'normal', enabled: !checking },
      { action: 'repair-safe', label: fixes > 0 ? `Repair safe problems (${fixes})…` : 'Repair safe problems…', type: 'normal', enabled: !checking && fixes > 0 },
      { action: 'start-at-login', label: 'Start at login', type: 'checkbox', enabled: true, checked: startAtLogin, separatorBefore: true },
      { action: 'quit', label: 'Quit', type: 'normal', enabled: true, separatorBefore: true },
    ],
  };
}
