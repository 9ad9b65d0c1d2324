import { describe, expect, it } from 'vitest';
import { HOST_CHECK_REQUEST_SCRIPT, requestHostCheck } from '../../../electron/agent/host-check-request.js';

function recorder(stdout: string) {
  const calls: { path: string; parameters: unknown; options: unknown }[] = [];
  const logs: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
  const session = { runScript: async (path: string, parameters?: unknown, options?: unknown) => (calls.push({ path, parameters, options }), stdout) };
  const logger = { info: (message: string, meta?: Record<string, unknown>) => logs.push({ level: 'info', message, meta }), warn: (message: string, meta?: Record<string, unknown>) => logs.push({ level: 'warn', message, meta }) };
  return { session, logger, calls, logs };
}

describe('requestHostCheck (Check now asks the SYSTEM host checker first)', () => {
  it('runs the request script with a bounded wait and logs what the task did', async () => {
    const r = recorder(JSON.stringify({ probe: 'host-check-request', schema: 1, ok: true, data: { state: 'ran', lastTaskResult: 0, reason: null } }));
    await requestHostCheck(r.session, '/probes', r.logger);
    expect(r.calls).toEqual([{ path: `/probes/${HOST_CHECK_REQUEST_SCRIPT}`, parameters: { TimeoutSeconds: 120 }, options: { timeoutMs: 150_000 } }]);
    expect(r.logs).toEqual([{ level: 'info', message: 'host check requested', meta: { result: { state: 'ran', lastTaskResult: 0, reason: null } } }]);
  });

  it('logs a refused request (a task Users may not run) and never throws', async () => {
    const r = recorder(JSON.stringify({ probe: 'host-check-request', schema: 1, ok: false, error: { kind: 'access-denied', message: 'Access is denied.' } }));
    await expect(requestHostCheck(r.session, '/probes', r.logger)).resolves.toBeUndefined();
    expect(r.logs).toEqual([{ level: 'warn', message: 'host check request refused', meta: { kind: 'access-denied', message: 'Access is denied.' } }]);
  });

  it('logs output that is not the envelope', async () => {
    const r = recorder('WARNING: something');
    await requestHostCheck(r.session, '/probes', r.logger);
    expect(r.logs[0]).toMatchObject({ level: 'warn', message: 'host check request: unexpected output' });
  });
});
