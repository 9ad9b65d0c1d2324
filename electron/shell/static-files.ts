/**
 * Maps a request path to a file of the built renderer, never outside it. Shared by the app://
 * protocol (Electron) and the demo server; no Electron here.
 */
import { extname, isAbsolute, join, relative, sep } from 'node:path';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function mimeType(file: string): string | undefined {
  return MIME[extname(file).toLowerCase()];
}

/** `pathname` as in a URL ('/', '/assets/index-abc.js'); undefined when it leaves `rootDir` or names an unknown type. */
export function resolveStaticFile(rootDir: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const path = decoded === '/' || decoded === '' ? '/index.html' : decoded;
  const file = join(rootDir, path);
  const inside = relative(rootDir, file);
  if (!inside || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return undefined;
  return mimeType(file) ? file : undefined;
}
