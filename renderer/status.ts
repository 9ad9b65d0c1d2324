/** Status in words (the colour is never the only signal). */
import type { Status } from './bridge.js';

export const STATUS_WORD: Record<Status, string> = {
  ok: 'OK',
  warn: 'Warning',
  fail: 'Problem',
  unknown: 'Unknown',
};

export const OVERALL_HEADING: Record<Status, string> = {
  ok: 'Remote Desktop is working',
  warn: 'Remote Desktop needs attention',
  fail: 'Remote Desktop connections will fail',
  unknown: 'Remote Desktop could not be fully checked',
};

export const OVERALL_DETAIL: Record<Status, string> = {
  ok: 'Every check passed.',
  warn: 'People can connect now, but something will stop them soon or weakens security.',
  fail: 'People trying to connect get an error until this is repaired.',
  unknown: 'Some checks could not run; their results below say why.',
};

/** A check that ran with the user's rights and was refused: only the host checker (SYSTEM) can run it. */
export const NEEDS_HOST_CHECKER_WORDS = 'Needs the host checker';

/** A glyph that says the status in shape too. */
export const STATUS_GLYPH: Record<Status, string> = { ok: '✓', warn: '!', fail: '✕', unknown: '?' };
