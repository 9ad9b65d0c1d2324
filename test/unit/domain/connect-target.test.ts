import { describe, expect, it } from 'vitest';
import { connectTargetSchema } from '../../../electron/client-contract.js';
import { connectTargetOf } from '../../../electron/domain/connect-target.js';

describe('the connect-target rule: the CLI (no zod) and the contract agree', () => {
  it.each(['rdphost01', ' rdphost01.contoso.com:3389 ', '[::1]:3390', '10.0.0.5', 'fe80::1%12', '', '   ', 'a b', 'host;calc', 'x'.repeat(261), 'host\n'])('%j', (text) => {
    const parsed = connectTargetSchema.safeParse(text);
    expect(connectTargetOf(text)).toBe(parsed.success ? parsed.data : undefined);
  });
});
