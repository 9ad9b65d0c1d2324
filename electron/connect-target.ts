/** What a connect target may be (host, host:port, [v6]:port), in one place for the contract and the page; no zod, so the page bundles it alone. */
export const CONNECT_TARGET_MAX = 260;
/** Printable name and address characters only: no spaces or separators a command could use. */
export const CONNECT_TARGET_PATTERN = /^[A-Za-z0-9.:\-_[\]%]+$/;
