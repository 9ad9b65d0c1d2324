/** Whole days to a date (certificate expiry), counted the same way by the probes, the notifications and the CLI. */
export const DAY_MS = 86_400_000;

/** Whole days left until `notAfter` (ISO text or epoch ms), rounded down: 0 on the last day, negative once past; NaN for a date that does not parse. */
export function daysLeft(notAfter: string | number, now: Date): number {
  const end = typeof notAfter === 'number' ? notAfter : Date.parse(notAfter);
  return Math.floor((end - now.getTime()) / DAY_MS);
}
