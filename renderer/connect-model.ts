/** The Connect view's words and state, apart from React so they are tested alone. */
import type { ConnectReportView } from '../electron/client-contract.js';
import { CONNECT_TARGET_MAX, CONNECT_TARGET_PATTERN } from '../electron/domain/connect-target.js';

export type { ClientHistoryView, ConnectReportView } from '../electron/client-contract.js';

/** Whose end a verdict blames, in the words the view shows after "At fault:". */
export const SIDE_WORDS: Record<ConnectReportView['side'], string> = {
  'this-pc': 'this PC',
  host: 'the host (the computer you connect to)',
  network: 'the network between',
  none: 'nothing: this PC can connect',
  unknown: 'not known',
};

export type CheckState = { step: 'checking' } | { step: 'done'; report: ConnectReportView } | { step: 'failed'; message: string };

/** The domain rule (electron/domain/connect-target.ts), checked here only to say what is wrong before asking. */
export function targetProblem(text: string): string | null {
  const target = text.trim();
  if (target === '') return 'Type a computer name or address.';
  if (target.length > CONNECT_TARGET_MAX) return 'That name is too long for a computer name.';
  if (!CONNECT_TARGET_PATTERN.test(target)) return 'A computer name or address has no spaces or other signs (host, host:port, or [IPv6]:port).';
  return null;
}
