/** What a connect target may be (host, host:port, [v6]:port): one rule for the contract, the page and the CLI. */
import { z } from 'zod';

export const CONNECT_TARGET_MAX = 260;
/** Printable name and address characters only: no spaces or separators a command could use. */
export const CONNECT_TARGET_PATTERN = /^[A-Za-z0-9.:\-_[\]%]+$/;

/** host, host:port or [v6]:port as a person types it: bounded, printable, no spaces or separators a command could use. */
export const connectTargetSchema = z.string().trim().min(1).max(CONNECT_TARGET_MAX).regex(CONNECT_TARGET_PATTERN);
