/**
 * Name resolution as the client does it: every A and AAAA address, in the order the resolver
 * gives them (the order mstsc tries them). The lookup is injectable, so tests can say what a
 * name resolves to without touching /etc/hosts or DNS.
 */
import { promises as dns } from 'node:dns';
import net from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type LookupFn = (host: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo, as Windows' client uses), every address, resolver order. */
export const systemLookup: LookupFn = async (host) => {
  const found = await dns.lookup(host, { all: true, order: 'verbatim' });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

export type Resolution = { ok: true; byName: boolean; addresses: ResolvedAddress[] } | { ok: false; byName: true; problem: string; code: string | null };

export async function resolveTarget(host: string, lookup: LookupFn = systemLookup): Promise<Resolution> {
  const family = net.isIP(host);
  if (family !== 0) return { ok: true, byName: false, addresses: [{ address: host, family: family === 6 ? 6 : 4 }] };
  try {
    const addresses = await lookup(host);
    // Duplicates come back when a name has several records of one address (hosts file + DNS).
    const unique = addresses.filter((entry, index) => addresses.findIndex((other) => other.address === entry.address) === index);
    if (unique.length === 0) return { ok: false, byName: true, problem: `the name ${host} resolves to no address`, code: null };
    return { ok: true, byName: true, addresses: unique };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? null;
    return { ok: false, byName: true, problem: `the name ${host} could not be resolved${code ? ` (${code})` : ''}`, code };
  }
}
