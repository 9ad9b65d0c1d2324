/**
 * The log file itself: this user's JSON lines in their own log folder, rotated daily and by size,
 * pruned after `keepDays`. Written here instead of by winston-daily-rotate-file, whose trusted audit
 * file (a JSON list of paths it deletes) and unhandled stream errors are what a tray agent cannot
 * have. The rules:
 *   - only files named rdp-health-<user>-<date>[.<n>].log in this folder are ever written or
 *     deleted, found by listing the folder: no state file says what to touch;
 *   - a link is never followed (O_NOFOLLOW where the system has it, an lstat before opening
 *     everywhere, a file with more than one hard link is refused), and is skipped and reported;
 *   - a write that fails (ENOSPC, EIO) never throws: the file is closed, `problem` says why, and the
 *     file is tried again after `retryMs` (the caller keeps the entries in memory meanwhile).
 */
import * as nodeFs from 'node:fs';
import { join } from 'node:path';

export interface LogFileSystem {
  openSync: typeof nodeFs.openSync;
  writeSync: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  closeSync: typeof nodeFs.closeSync;
  fstatSync: typeof nodeFs.fstatSync;
  lstatSync: typeof nodeFs.lstatSync;
  readdirSync: (dir: string) => string[];
  unlinkSync: typeof nodeFs.unlinkSync;
}

export interface LogFileOptions {
  dir: string;
  user: string;
  /** A file that would pass this size is closed and the next one (<date>.<n>.log) started (default 10 MB). */
  maxBytes?: number;
  /** Files of days before this many are deleted (default 14). */
  keepDays?: number;
  /** After a failed write, how long before the file is tried again (default 60 s). */
  retryMs?: number;
  now?: () => Date;
  fs?: LogFileSystem;
}

const DAY_MS = 86_400_000;
const NOFOLLOW = nodeFs.constants.O_NOFOLLOW ?? 0;
const OPEN_FLAGS = nodeFs.constants.O_WRONLY | nodeFs.constants.O_APPEND | nodeFs.constants.O_CREAT | NOFOLLOW;

/** The local calendar day, as a person reading the folder expects. */
export const localDay = (date: Date): string =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** rdp-health-<user>-<date>.log (index 0) and rdp-health-<user>-<date>.<n>.log; anything else is undefined. */
export function parseLogFileName(name: string, user: string): { day: string; index: number } | undefined {
  const match = new RegExp(`^rdp-health-${escapeRegExp(user)}-(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d{1,6}))?\\.log$`).exec(name);
  return match ? { day: match[1]!, index: Number(match[2] ?? '0') } : undefined;
}

export const logFileName = (user: string, day: string, index: number): string => `rdp-health-${user}-${day}${index === 0 ? '' : `.${index}`}.log`;

export class LogFile {
  private readonly fs: LogFileSystem;
  private readonly maxBytes: number;
  private readonly now: () => Date;
  private fd: number | undefined;
  private day: string | undefined;
  private index = 0;
  private size = 0;
  private failedAt: number | undefined;
  private readonly notices = new Set<string>();
  /** Why the file is not being written, in plain words; undefined while it is. */
  problem: string | undefined;

  constructor(private readonly options: LogFileOptions) {
    this.fs = options.fs ?? nodeFs;
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.now = options.now ?? (() => new Date());
  }

  /** What was found in the folder and left alone (links, files this user's logging did not write). */
  get findings(): string[] {
    return [...this.notices];
  }

  /** Opens today's file now (and looks at the folder), so what is found there is known at start. Never throws. */
  open(): void {
    try {
      this.rotate(localDay(this.now()));
    } catch (error) {
      this.failedAt = this.now().getTime();
      this.problem = `The log file could not be opened in ${this.options.dir} (${describe(error)}); recent entries are kept in memory only.`;
    }
  }

  /** Appends one line; returns whether it reached the file. Never throws. */
  write(line: string): boolean {
    const now = this.now();
    if (this.failedAt !== undefined && now.getTime() - this.failedAt < (this.options.retryMs ?? 60_000)) return false;
    const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
    try {
      const day = localDay(now);
      if (this.fd === undefined || day !== this.day || (this.size > 0 && this.size + bytes.length > this.maxBytes)) this.rotate(day);
      let written = 0;
      // A short write (a disk filling up) writes the rest; a second failure throws below.
      while (written < bytes.length) written += this.fs.writeSync(this.fd!, bytes, written, bytes.length - written);
      this.size += bytes.length;
      this.failedAt = undefined;
      this.problem = undefined;
      return true;
    } catch (error) {
      this.failedAt = now.getTime();
      this.problem = `Writing the log file in ${this.options.dir} failed (${describe(error)}); recent entries are kept in memory only.`;
      this.closeFile();
      return false;
    }
  }

  close(): void {
    this.closeFile();
  }

  /** Opens the next file of `day` that is ours to append to, then prunes old days. */
  private rotate(day: string): void {
    const sameDay = day === this.day;
    this.closeFile();
    if (!sameDay) {
      this.day = day;
      this.index = this.highestIndex(day);
      this.prune(day);
    } else {
      this.index += 1;
    }
    for (let attempts = 0; attempts < 100; attempts += 1, this.index += 1) {
      const name = logFileName(this.options.user, day, this.index);
      const path = join(this.options.dir, name);
      const existing = this.lstat(path);
      if (existing && !existing.isFile()) {
        this.notices.add(`${name} is a link or not a file; it was not followed`);
        continue;
      }
      if (existing && existing.size >= this.maxBytes) continue;
      const fd = this.fs.openSync(path, OPEN_FLAGS, 0o600);
      const opened = this.fs.fstatSync(fd);
      // Checked on what was opened: a link swapped in after the lstat, or a hard link to another file.
      if (!opened.isFile() || opened.nlink > 1) {
        this.fs.closeSync(fd);
        this.notices.add(`${name} is linked to another file; it was not written`);
        continue;
      }
      this.fd = fd;
      this.size = opened.size;
      return;
    }
    throw new Error('no log file name of today could be used');
  }

  /** The index to continue from today: the highest existing one (a restart appends to it). */
  private highestIndex(day: string): number {
    let highest = 0;
    for (const name of this.list()) {
      const parsed = parseLogFileName(name, this.options.user);
      if (parsed?.day === day) highest = Math.max(highest, parsed.index);
    }
    return highest;
  }

  /** Deletes this user's regular log files of days older than keepDays; notes anything else. */
  private prune(today: string): void {
    const oldest = localDay(new Date(Date.parse(`${today}T12:00:00`) - (this.options.keepDays ?? 14) * DAY_MS));
    for (const name of this.list()) {
      const parsed = parseLogFileName(name, this.options.user);
      if (!parsed) {
        // Other users' logs are theirs; anything else was planted or left by an older version.
        if (!/^rdp-health-.+-\d{4}-\d{2}-\d{2}(?:\.\d{1,6})?\.log$/.test(name) && !name.startsWith('.write-test-')) this.notices.add(`${name} was not written by RDP Health's logging; it was left alone`);
        continue;
      }
      if (parsed.day >= oldest) continue;
      const path = join(this.options.dir, name);
      const stat = this.lstat(path);
      if (!stat?.isFile()) {
        this.notices.add(`${name} is a link or not a file; it was not deleted`);
        continue;
      }
      try {
        this.fs.unlinkSync(path);
      } catch {
        // Best effort: an old file that cannot be deleted stays.
      }
    }
  }

  private list(): string[] {
    try {
      return this.fs.readdirSync(this.options.dir);
    } catch {
      return [];
    }
  }

  private lstat(path: string): nodeFs.Stats | undefined {
    try {
      return this.fs.lstatSync(path);
    } catch {
      return undefined;
    }
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    try {
      this.fs.closeSync(this.fd);
    } catch {
      // Closing a file on a failed disk may fail too.
    }
    this.fd = undefined;
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
