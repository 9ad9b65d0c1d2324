/**
 * The demo's HTTP bridge: the header every request carries the per-run token in (electron/demo,
 * renderer/demo). Its own file, free of zod, so the demo page does not bundle the contract's schemas.
 */
export const DEMO_TOKEN_HEADER = 'X-RDP-Health-Token';
