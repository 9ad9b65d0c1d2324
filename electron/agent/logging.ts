/**
 * Logging: JSON lines through winston into a file per user and day (`rdp-health-<user>-<date>.log`,
 * log-file.ts: rotated daily and by size, pruned after two weeks, no link followed, nothing outside
 * the folder touched). The folder is the user's own: %LOCALAPPDATA%\RDP Health\logs on Windows
 * (never under %ProgramData%, where another user could plant files) and <dataDir>/logs elsewhere.
 * Logging is best effort: no failure to log ever reaches a check, and a failing disk (ENOSPC, EIO)
 * only turns the file off for a while — the entries stay in memory and `problem` says why.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join, win32 } from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { parseJsonLines } from './json-text.js';
import { LogFile, type LogFileSystem } from './log-file.js';

export type LogMeta = Record<string, unknown>;

export interface AgentLogger {
  debug(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  error(message: string, meta?: LogMeta): void;
}

export interface LogEntry {
  timestamp: string;
  level: string;
  message: string;
  [key: string]: unknown;
}

export const silentLogger: AgentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Wraps a logger so that nothing it throws reaches the caller. */
export function safeLogger(logger: AgentLogger): AgentLogger {
  const guard =
    (level: keyof AgentLogger) =>
    (message: string, meta?: LogMeta): void => {
      try {
        logger[level](message, meta);
      } catch {
        // A broken logger must not stop a check.
      }
    };
  return { debug: guard('debug'), info: guard('info'), warn: guard('warn'), error: guard('error') };
}

export interface LogDirEnvironment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

const currentEnvironment = (): LogDirEnvironment => ({ platform: process.platform, env: process.env, home: homedir() });

/** Folders to try, in order: the configured one, then the user's own (never a machine-wide one). */
export function logDirCandidates(configured: string | undefined, dataDir: string, environment: LogDirEnvironment = currentEnvironment()): string[] {
  const candidates = configured ? [configured] : [];
  if (environment.platform === 'win32') {
    const localAppData = environment.env.LOCALAPPDATA ?? win32.join(environment.home, 'AppData', 'Local');
    candidates.push(win32.join(localAppData, 'RDP Health', 'logs'));
  } else {
    const state = environment.env.XDG_STATE_HOME ?? join(environment.home, '.local', 'state');
    candidates.push(join(dataDir, 'logs'), join(state, 'rdp-health', 'logs'));
  }
  return candidates;
}

/** Creates the folder if needed and proves a file can be written there. */
export function isWritableDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}-${randomUUID()}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
    return true;
  } catch {
    return false;
  }
}

/** The current user's name, safe for a file name. */
export function logUserName(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USERNAME ?? process.env.USER;
  }
  return (name ?? 'user').replace(/[^A-Za-z0-9._-]/g, '_') || 'user';
}

export interface LoggingOptions {
  dataDir: string;
  /** Configured folder (settings.logDir); falls back when not writable. */
  logDir?: string;
  user?: string;
  level?: string;
  /** Days of log files kept (default 14). */
  keepDays?: number;
  /** Size at which a day's file continues in the next one (default 10 MB). */
  maxFileBytes?: number;
  environment?: LogDirEnvironment;
  /** Seams for tests: the file system under the log file, and the clock. */
  fs?: LogFileSystem;
  now?: () => Date;
}

export interface AgentLogging {
  logger: AgentLogger;
  /** The folder written to; undefined when no folder was writable (logs then live in memory). */
  dir: string | undefined;
  /** Why logging is not where it was asked to be, in plain words. */
  problem?: string;
  readRecentLogs(limit?: number): Promise<LogEntry[]>;
  close(): Promise<void>;
}

const MEMORY_ENTRIES = 500;

export function createLogging(options: LoggingOptions): AgentLogging {
  const user = options.user ?? logUserName();
  const candidates = logDirCandidates(options.logDir, options.dataDir, options.environment);
  const dir = candidates.find((candidate) => isWritableDir(candidate));
  let problem: string | undefined;
  if (dir === undefined) problem = `No log folder is writable (tried ${candidates.join(', ')}); logs are kept in memory only.`;
  else if (options.logDir && dir !== options.logDir) problem = `The log folder ${options.logDir} is not writable; logging to ${dir} instead.`;

  // The last entries also stay in memory: the window shows them even when no folder is writable.
  const memory: LogEntry[] = [];
  const remember = new winston.transports.Stream({
    stream: new Writable({
      objectMode: true,
      write(chunk: LogEntry, _encoding, done) {
        memory.push(JSON.parse(JSON.stringify(chunk)) as LogEntry);
        if (memory.length > MEMORY_ENTRIES) memory.shift();
        done();
      },
    }),
  });
  const transports: winston.transport[] = [remember];
  const file =
    dir === undefined
      ? undefined
      : new LogFile({
          dir,
          user,
          ...(options.keepDays !== undefined ? { keepDays: options.keepDays } : {}),
          ...(options.maxFileBytes !== undefined ? { maxBytes: options.maxFileBytes } : {}),
          ...(options.fs ? { fs: options.fs } : {}),
          ...(options.now ? { now: options.now } : {}),
        });
  file?.open();
  let fileFailed = file?.problem !== undefined;
  if (file) {
    transports.push(
      new winston.transports.Stream({
        eol: '\n',
        stream: new Writable({
          // Never fails: LogFile reports its own trouble, and an 'error' here would end the process.
          write(chunk: Buffer, _encoding, done) {
            fileFailed = !file.write(chunk.toString('utf8'));
            done();
          },
        }),
      }),
    );
  }
  const winstonLogger = winston.createLogger({
    level: options.level ?? 'info',
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    transports,
    exitOnError: false,
  });
  winstonLogger.on('error', () => undefined);
  if (problem) winstonLogger.warn('logging problem', { problem });
  const found = file?.findings ?? [];
  if (found.length > 0) winstonLogger.warn('log folder holds files RDP Health did not write; left alone', { dir, found });
  let closing: Promise<void> | undefined;

  return {
    logger: safeLogger(winstonLogger),
    dir,
    get problem() {
      const notes = file?.findings ?? [];
      return problem ?? file?.problem ?? (notes.length > 0 ? `The log folder ${dir} holds files RDP Health did not write; they were left alone: ${notes.join('; ')}.` : undefined);
    },
    readRecentLogs: async (limit = 200) => (dir === undefined || fileFailed ? memory.slice(-limit) : readLogFiles(dir, user, limit)),
    close: () =>
      (closing ??= new Promise<void>((done) => {
        winstonLogger.on('finish', () =>
          setTimeout(() => {
            file?.close();
            done();
          }, 50),
        );
        winstonLogger.end();
      })),
  };
}

/** The last `limit` entries of this user's log files, oldest first; unreadable lines are skipped. */
export async function readLogFiles(dir: string, user: string, limit: number): Promise<LogEntry[]> {
  let files: { name: string; order: string }[];
  try {
    files = (await readdir(dir)).flatMap((name) => {
      const order = logFileOrder(name, user);
      return order === undefined ? [] : [{ name, order }];
    });
  } catch {
    return [];
  }
  const names = files.sort((a, b) => (a.order < b.order ? 1 : a.order > b.order ? -1 : 0)).map((file) => file.name);
  const entries: LogEntry[] = [];
  for (const name of names) {
    // A link in the folder is not followed, not even to read it.
    if (!(await lstat(join(dir, name)).then((stat) => stat.isFile(), () => false))) continue;
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    // A torn last line after a crash is skipped.
    const { records } = parseJsonLines(text, (value) => (isLogEntry(value) ? value : undefined));
    entries.unshift(...records);
    if (entries.length >= limit) break;
  }
  return entries.slice(-limit);
}

/**
 * A sort key (date, then size-rotation count) when `name` is one of `user`'s log files, else
 * undefined: exactly rdp-health-<user>-<date>.log, so "ann" never reads "ann-lee"'s files.
 * Size rotation names the later files <date>.<n>.log (log-file.ts); <date>.log.<n> (older versions) is read too.
 */
export function logFileOrder(name: string, user: string): string | undefined {
  const escaped = user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^rdp-health-${escaped}-(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d+))?\\.log(?:\\.(\\d+))?$`).exec(name);
  if (!match) return undefined;
  return `${match[1]}.${(match[2] ?? match[3] ?? '0').padStart(6, '0')}`;
}

function isLogEntry(value: unknown): value is LogEntry {
  const entry = value as Partial<LogEntry> | null;
  return typeof entry === 'object' && entry !== null && typeof entry.message === 'string' && typeof entry.level === 'string';
}
