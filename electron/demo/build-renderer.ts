/** Builds the renderer when its output is missing or older than any of its sources. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of a file, or of any file under a folder. */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export function rendererIsStale(sources: readonly string[], outDir: string): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return sources.some((source) => existsSync(source) && newestMtime(source) > built);
}

/** The demo's renderer: the config `npm run build` uses, with the demo's entry (electron.vite.config.ts). */
export async function buildRenderer(outDir?: string): Promise<string> {
  const { build } = await import('vite');
  const { demoRendererConfig } = await import('../../electron.vite.config.js');
  await build({ ...demoRendererConfig, configFile: false, logLevel: 'warn', build: { ...demoRendererConfig.build, ...(outDir ? { outDir } : {}) } });
  return outDir ?? demoRendererConfig.build.outDir;
}
