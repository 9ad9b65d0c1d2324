/** What a connect target may be (host, host:port, [v6]:port): one rule for the contract, the page and the CLI; no zod, so the page bundles it alone. */
export const CONNECT_TARGET_MAX = 260;
/** Printable name and address characters only: no spaces or separators a command could use. */
export const CONNECT_TARGET_PATTERN = /^[A-Za-z0-9.:\-_[\]%]+$/;

/** The target as the contract takes it (trimmed), or undefined when it breaks the rule. */
export function connectTargetOf(text: string): string | undefined {
  const target = text.trim();
  return target.length > 0 && target.length <= CONNECT_TARGET_MAX && CONNECT_TARGET_PATTERN.test(target) ? target : undefined;
}
