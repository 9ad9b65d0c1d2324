/**
 * What the heap holds apart from compiled code, from a V8 heap snapshot (after a full collection).
 * heapUsed alone moves by a few hundred kB as V8 compiles, optimises and flushes functions; a
 * scan's per-target state would be objects, strings and arrays, so those are what is counted.
 */
import v8 from 'node:v8';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
}

async function readSnapshot(): Promise<Snapshot> {
  const chunks: Buffer[] = [];
  for await (const chunk of v8.getHeapSnapshot()) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Snapshot;
}

/** Bytes held by everything but code (machine code, bytecode, their metadata); a snapshot collects garbage first. */
export async function nonCodeBytesHeld(): Promise<number> {
  const { snapshot, nodes } = await readSnapshot();
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  let bytes = 0;
  for (let at = 0; at < nodes.length; at += fields.length) {
    if (types[nodes[at + typeAt]!] !== 'code') bytes += nodes[at + sizeAt]!;
  }
  return bytes;
}
