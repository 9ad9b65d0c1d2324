/**
 * What electron-builder would put where, computed with electron-builder's own file matchers
 * (app-builder-lib's getFileMatchers and the filters copyFiles applies), so the test reads the
 * config exactly as the build does, minus the download of Electron and NSIS that cannot run here.
 */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';

const require = createRequire(import.meta.url);

interface FileMatcher {
  from: string;
  to: string;
  patterns: string[];
  isEmpty(): boolean;
  containsOnlyIgnore(): boolean;
  prependPattern(pattern: string): void;
  createFilter(): (file: string, stat: Stats) => boolean;
}
interface FileMatcherModule {
  getFileMatchers(
    config: unknown,
    name: 'files' | 'extraResources' | 'extraFiles',
    defaultDestination: string,
    options: { macroExpander: (pattern: string) => string; customBuildOptions: unknown; globalOutDir: string; defaultSrc: string },
  ): FileMatcher[] | null;
}
const { getFileMatchers } = require('app-builder-lib/out/fileMatcher') as FileMatcherModule;
const yaml = require('js-yaml') as { load(text: string): unknown };

export type BuilderConfig = Record<string, unknown> & { win?: Record<string, unknown>; nsis?: Record<string, unknown> };

export function loadBuilderConfig(path: string): BuilderConfig {
  return yaml.load(readFileSync(path, 'utf8')) as BuilderConfig;
}

/** The macro expansion electron-builder applies for a Windows x64 build (platformPackager.expandMacro). */
const macroExpander = (pattern: string): string =>
  pattern.replace(/\$\{(\w+)\}/g, (whole, name: string) => ({ arch: 'x64', os: 'win', platform: 'win32', productName: 'RDP Health', version: '0.0.0' })[name] ?? whole);

function walk(matcher: FileMatcher): string[] {
  if (matcher.isEmpty() || matcher.containsOnlyIgnore()) matcher.prependPattern('**/*');
  const filter = matcher.createFilter();
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (!filter(path, stat)) continue;
      if (stat.isDirectory()) visit(path);
      else found.push(path);
    }
  };
  visit(matcher.from);
  return found;
}

export interface Placed {
  /** Source path relative to the project, forward slashes. */
  source: string;
  /** Destination relative to the app's resources folder (extraResources) or the asar root (files). */
  destination: string;
}

/** Every file a section of the config copies, by source and destination. */
export function placedFiles(config: BuilderConfig, projectDir: string, section: 'files' | 'extraResources'): Placed[] {
  const resources = join(projectDir, '.resources-under-test');
  const matchers = getFileMatchers(config, section, resources, {
    macroExpander,
    customBuildOptions: config.win ?? {},
    globalOutDir: join(projectDir, 'dist'),
    defaultSrc: projectDir,
  });
  const placed: Placed[] = [];
  for (const matcher of matchers ?? []) {
    for (const file of walk(matcher)) {
      placed.push({
        source: relative(projectDir, file).split(sep).join('/'),
        destination: relative(resources, join(matcher.to, relative(matcher.from, file))).split(sep).join('/'),
      });
    }
  }
  return placed;
}

/** Whether a file at this source path would be copied (for paths that do not exist yet). */
export function wouldPlace(config: BuilderConfig, projectDir: string, section: 'files' | 'extraResources', source: string): boolean {
  const matchers = getFileMatchers(config, section, join(projectDir, '.resources-under-test'), {
    macroExpander,
    customBuildOptions: config.win ?? {},
    globalOutDir: join(projectDir, 'dist'),
    defaultSrc: projectDir,
  });
  const fileStat = { isDirectory: () => false, isFile: () => true } as Stats;
  const dirStat = { isDirectory: () => true, isFile: () => false } as Stats;
  const path = join(projectDir, ...source.split('/'));
  return (matchers ?? []).some((matcher) => {
    if (matcher.isEmpty() || matcher.containsOnlyIgnore()) matcher.prependPattern('**/*');
    const rel = relative(matcher.from, path);
    if (rel.startsWith('..')) return false;
    const filter = matcher.createFilter();
    // Every parent folder must pass too, as the copy walks down to the file.
    const parts = rel.split(sep);
    for (let i = 1; i < parts.length; i += 1) if (!filter(join(matcher.from, ...parts.slice(0, i)), dirStat)) return false;
    return filter(path, fileStat);
  });
}
