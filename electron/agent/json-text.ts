/** Reading JSON the agent did not just produce itself: files, a script's result, JSON lines. Never throws. */

/** The value of a JSON text, a leading UTF-8 BOM (Windows PowerShell writes one) dropped; undefined when it is not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

export interface JsonLines<T> {
  records: T[];
  /** Lines that were not JSON (a torn last line after a crash) or that `accept` turned down. */
  skipped: number;
}

/** The non-blank lines of a JSON-lines text, each parsed and kept when `accept` returns a value for it. */
export function parseJsonLines<T>(text: string, accept: (value: unknown) => T | undefined): JsonLines<T> {
  const records: T[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: T | undefined;
    try {
      record = accept(JSON.parse(line));
    } catch {
      record = undefined;
    }
    if (record === undefined) skipped += 1;
    else records.push(record);
  }
  return { records, skipped };
}
