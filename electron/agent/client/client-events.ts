/**
 * The client's own record of its connections (RDPClient/Operational): each 1026 "disconnected
 * (Reason= n)" paired with the 1024 "trying to connect to the server (name)" before it, so a
 * reason code can be tied to a computer, then put in plain words.
 */
import type { ClientSettings } from '../../../probes/client/client-settings.js';
import { translateDisconnect, type Translation } from '../../../probes/client/disconnect-codes.js';

export interface ClientDisconnect {
  time: string;
  server: string | null;
  reason: number;
  translation: Translation;
}

export function clientDisconnects(settings: ClientSettings): ClientDisconnect[] {
  // Oldest first, so each disconnect follows its connect.
  const events = [...settings.events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const result: ClientDisconnect[] = [];
  let server: string | null = null;
  for (const event of events) {
    if (event.id === 1024) server = event.server;
    if (event.id === 1026 && event.reason !== null) {
      result.push({ time: event.time, server, reason: event.reason, translation: translateDisconnect(event.reason) });
      server = null;
    }
  }
  return result.reverse();
}

/** Disconnects from this host (by the name the client used, port ignored), that were errors. */
export function failuresFor(settings: ClientSettings | null, host: string): ClientDisconnect[] {
  if (!settings) return [];
  const wanted = host.toLowerCase();
  return clientDisconnects(settings).filter((entry) => entry.translation.side !== 'none' && (entry.server ?? '').toLowerCase().replace(/:\d+$/, '') === wanted);
}
