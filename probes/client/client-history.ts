/**
 * The user's Remote Desktop history (Get-RdpClientHistory.ps1): the schema of what the script
 * reads, and the list of computers it names, one target a computer, each with where it was seen
 * (mstsc's MRU list, a Servers key, a .rdp file) and what that source says about it.
 */
import { z } from 'zod';
import { parseTarget } from '../handshake/target.js';
import { parseRdpFile, type ParsedRdpFile } from './rdp-file.js';

export const CLIENT_HISTORY_SCRIPT = 'client/Get-RdpClientHistory.ps1';
export const CLIENT_HISTORY_PROBE_ID = 'client-history';

const nullableString = z.string().nullable().optional().transform((value) => value ?? null);

export const clientHistorySchema = z.object({
  mru: z.array(z.object({ slot: z.string(), target: z.string() })),
  servers: z.array(z.object({ host: z.string(), usernameHint: nullableString, certHash: nullableString })),
  documents: nullableString,
  rdpFiles: z.array(
    z.object({ path: z.string(), name: z.string(), sizeBytes: z.number(), text: nullableString, problem: nullableString }),
  ),
});
export type ClientHistoryData = z.infer<typeof clientHistorySchema>;

export interface RdpFileEntry {
  path: string;
  name: string;
  /** null when the file could not be read at all (`problem` says why). */
  parsed: ParsedRdpFile | null;
  problem: string | null;
}

export interface HistoryTarget {
  /** What to connect to, as the user typed it (host or host:port). */
  target: string;
  host: string;
  /** null: the default RDP port. */
  port: number | null;
  /** Where this target was seen, newest first: "MRU0", "Servers key", "file Work desktop.rdp". */
  sources: string[];
  usernameHint: string | null;
  /** The certificate the user chose to trust anyway (Servers\<host>\CertHash), SHA-1 hex. */
  trustedCertHash: string | null;
  /** The .rdp files that connect to it (their security settings matter to the verdict). */
  rdpFiles: RdpFileEntry[];
}

export interface ClientHistory {
  targets: HistoryTarget[];
  /** .rdp files that name no computer, or could not be read: reported, never dropped. */
  unusableFiles: RdpFileEntry[];
  documents: string | null;
}

function fileEntry(file: ClientHistoryData['rdpFiles'][number]): RdpFileEntry {
  const parsed = file.text === null ? null : parseRdpFile(file.text);
  return { path: file.path, name: file.name, parsed, problem: file.problem ?? (parsed?.malformed ? (parsed.problems[0] ?? 'malformed') : null) };
}

/** Merges MRU entries, Servers keys and .rdp files into one target a computer (names compared case-insensitively). */
export function historyTargets(data: ClientHistoryData): ClientHistory {
  const byKey = new Map<string, HistoryTarget>();
  const unusableFiles: RdpFileEntry[] = [];
  const add = (text: string, source: string): HistoryTarget | null => {
    const parsed = parseTarget(text);
    if (!parsed.ok) return null;
    const key = `${parsed.host.toLowerCase()}:${parsed.port ?? ''}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { target: text.trim(), host: parsed.host, port: parsed.port, sources: [], usernameHint: null, trustedCertHash: null, rdpFiles: [] };
      byKey.set(key, entry);
    }
    if (!entry.sources.includes(source)) entry.sources.push(source);
    return entry;
  };
  for (const item of data.mru) add(item.target, item.slot);
  for (const server of data.servers) {
    const entry = add(server.host, 'Servers key');
    if (!entry) continue;
    entry.usernameHint = server.usernameHint;
    entry.trustedCertHash = server.certHash;
  }
  for (const file of data.rdpFiles) {
    const entry = fileEntry(file);
    const address = entry.parsed?.fullAddress ?? null;
    const target = address === null || entry.problem !== null ? null : add(address, `file ${file.name}`);
    if (target) target.rdpFiles.push(entry);
    else unusableFiles.push(entry.problem === null ? { ...entry, problem: `"full address" is not a computer name or address: ${address ?? ''}` } : entry);
  }
  return { targets: [...byKey.values()], unusableFiles, documents: data.documents };
}
