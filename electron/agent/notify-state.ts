/** Persistence of the notification policy's state (temp file + rename; a damaged file starts fresh). */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.js';
import { silentLogger, type AgentLogger } from './logging.js';
import { initialNotifyState, notifyStateSchema, type NotifyState } from './notify-policy.js';

export async function loadNotifyState(path: string, logger: AgentLogger = silentLogger): Promise<NotifyState> {
  try {
    const parsed = notifyStateSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (parsed.success) return parsed.data;
    logger.warn('notification state invalid; starting fresh', { path });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn('notification state unreadable; starting fresh', { path, error: String(error) });
  }
  return initialNotifyState();
}

export async function saveNotifyState(path: string, state: NotifyState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state)}\n`);
}
