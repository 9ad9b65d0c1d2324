import { describe, expect, it } from 'vitest';
import { evidenceText, relativeTime } from '../../../renderer/format.js';

describe('format', () => {
  const now = new Date('2025-01-01T12:00:00Z');
  it('says how long ago in words', () => {
    expect(relativeTime('2025-01-01T11:59:50Z', now)).toBe('just now');
    expect(relativeTime('2025-01-01T11:55:00Z', now)).toMatch(/5 minutes ago/);
    expect(relativeTime('2025-01-01T12:30:00Z', now)).toMatch(/in 30 minutes/);
    expect(relativeTime('garbage', now)).toBe('at an unknown time');
  });

  it('shows evidence verbatim', () => {
    expect(evidenceText('CN=HOST1')).toBe('CN=HOST1');
    expect(evidenceText(null)).toBe('(none)');
    expect(evidenceText('')).toBe('(empty)');
    expect(evidenceText(0)).toBe('0');
    expect(evidenceText(['a', 1])).toBe('[\n  "a",\n  1\n]');
  });
});
