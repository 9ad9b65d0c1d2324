import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appUrlToFile, registerAppProtocol } from '../../../electron/shell/app-protocol.js';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../../../electron/shell/content-security-policy.js';
import { resolveStaticFile } from '../../../electron/shell/static-files.js';

const root = join(import.meta.dirname, '../../..');
const rendererDir = mkdtempSync(join(tmpdir(), 'app-protocol-'));
mkdirSync(join(rendererDir, 'assets'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>RDP Health</title>');
writeFileSync(join(rendererDir, 'assets/index-1.js'), 'console.log(1)');

describe('app:// protocol', () => {
  it('maps our URLs to the renderer files and nothing else', () => {
    expect(appUrlToFile('app://rdp-health/index.html', rendererDir)).toBe(join(rendererDir, 'index.html'));
    expect(appUrlToFile('app://rdp-health/', rendererDir)).toBe(join(rendererDir, 'index.html'));
    expect(appUrlToFile('app://rdp-health/assets/index-1.js?v=1', rendererDir)).toBe(join(rendererDir, 'assets/index-1.js'));
    expect(appUrlToFile('app://rdp-health/../../etc/passwd.js', rendererDir)).toBe(join(rendererDir, 'etc/passwd.js'));
    // The URL parser resolves dot segments (also encoded ones) before we see the path: still inside.
    expect(appUrlToFile('app://rdp-health/%2e%2e/%2e%2e/secret.js', rendererDir)).toBe(join(rendererDir, 'secret.js'));
    expect(appUrlToFile('app://rdp-health/..%5c..%5csecret.js', rendererDir)).toBeUndefined();
    expect(appUrlToFile('app://other/index.html', rendererDir)).toBeUndefined();
    expect(appUrlToFile('file:///etc/passwd', rendererDir)).toBeUndefined();
    expect(appUrlToFile('app://rdp-health/settings.json.bak', rendererDir)).toBeUndefined();
  });

  it('rejects encoded traversal and NUL in plain paths too (shared with the demo server)', () => {
    expect(resolveStaticFile(rendererDir, '/%2e%2e%2fsecret.html')).toBeUndefined();
    expect(resolveStaticFile(rendererDir, '/index.html%00.js')).toBeUndefined();
    expect(resolveStaticFile(rendererDir, '/%E0%A4%A')).toBeUndefined();
  });

  it('serves files with the CSP and security headers, and 404 for anything else', async () => {
    let handler: ((request: Request) => Promise<Response>) | undefined;
    registerAppProtocol({ handle: (scheme, h) => { expect(scheme).toBe('app'); handler = h; } }, rendererDir);
    const ok = await handler!(new Request('app://rdp-health/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toContain('RDP Health');
    expect((await handler!(new Request('app://rdp-health/missing.js'))).status).toBe(404);
    expect((await handler!(new Request('app://rdp-health/index.html', { method: 'POST', body: 'x' }))).status).toBe(404);
  });

  it('the page carries the same CSP in its meta tag (minus frame-ancestors, which meta ignores)', () => {
    const html = readFileSync(join(root, 'renderer/index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY_META);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });
});
