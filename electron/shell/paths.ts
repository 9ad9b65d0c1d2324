/**
 * Where the shell's files are. Built layout: out/main/main.js, out/preload/preload.cjs,
 * out/renderer/. Icons come from assets/: the repository in development, and the resources folder
 * when packaged (extraResources: the tray needs real files, not asar entries, for .ico on Windows).
 */
import { join } from 'node:path';

export interface ShellPaths {
  preload: string;
  rendererDir: string;
  assetsDir: string;
  appIcon: string;
}

export function shellPaths(options: { mainDir: string; isPackaged: boolean; appPath: string; resourcesPath: string; platform: NodeJS.Platform }): ShellPaths {
  const assetsDir = options.isPackaged ? join(options.resourcesPath, 'assets') : join(options.appPath, 'assets');
  return {
    preload: join(options.mainDir, '../preload/preload.cjs'),
    rendererDir: join(options.mainDir, '../renderer'),
    assetsDir,
    appIcon: join(assetsDir, options.platform === 'win32' ? 'icon.ico' : 'icon.png'),
  };
}
