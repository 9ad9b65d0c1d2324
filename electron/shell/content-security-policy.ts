/**
 * The window's Content-Security-Policy: scripts and styles from the app itself only, no inline
 * script, no eval, nothing fetched from anywhere else, no frames, no forms, no plugins. Sent as a
 * header by the app:// protocol and the demo server, and repeated in renderer/index.html's meta
 * tag (a test keeps the two equal) so the page is covered however it is loaded.
 */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');
/** The meta-tag form: browsers ignore (and warn about) frame-ancestors there. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');

/** Headers sent with every file of the page. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
