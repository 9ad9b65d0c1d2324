/**
 * The window loads from app://rdp-health/, served from the packaged renderer files only, every
 * response carrying the CSP and security headers. The scheme is registered as standard and secure
 * before the app is ready (so it gets an origin, storage and fetch like https).
 */
import { readFile } from 'node:fs/promises';
import { APP_HOST, APP_SCHEME } from './app-identity.js';
import { SECURITY_HEADERS } from './content-security-policy.js';
import { mimeType, resolveStaticFile } from './static-files.js';

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

/** The file an app:// URL names, or undefined for another host, a path outside the renderer, or an unknown type. */
export function appUrlToFile(url: string, rendererDir: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  return resolveStaticFile(rendererDir, parsed.pathname);
}

export async function serveAppRequest(request: Request, rendererDir: string): Promise<Response> {
  const file = request.method === 'GET' ? appUrlToFile(request.url, rendererDir) : undefined;
  if (!file) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
  try {
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': mimeType(file) ?? 'application/octet-stream' } });
  } catch {
    return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
  }
}

export function registerAppProtocol(protocol: ProtocolLike, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));
}
