import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENTRY_TYPES, EVENT_IDS, fixEvent, probeStatusEvents } from '../../../electron/agent/event-log.js';
import { fix } from '../../../probes/common/fixes.js';
import { finding, snapshot } from './snapshots.js';

const kinds = (events: Array<{ kind: string }>): string[] => events.map((e) => e.kind);

describe('probeStatusEvents', () => {
  it('writes nothing when no status changed', () => {
    const before = snapshot([finding('nla', 'ok'), finding('certificate', 'warn')]);
    const after = snapshot([finding('nla', 'ok'), finding('certificate', 'warn', { summary: 'other words, same status' })]);
    expect(probeStatusEvents(before, after)).toEqual([]);
  });

  it('writes one event per changed probe, with the id of the new status', () => {
    const before = snapshot([finding('nla', 'ok'), finding('certificate', 'warn'), finding('tls', 'fail'), finding('firewall', 'ok')]);
    const after = snapshot([finding('nla', 'fail'), finding('certificate', 'ok'), finding('tls', 'unknown'), finding('firewall', 'warn')]);
    const events = probeStatusEvents(before, after);
    expect(events.map((e) => [e.eventId, e.entryType])).toEqual([
      [1003, 'Error'],
      [1001, 'Information'],
      [1004, 'Warning'],
      [1002, 'Warning'],
    ]);
  });

  it('on a first check reports only the problems', () => {
    const events = probeStatusEvents(undefined, snapshot([finding('nla', 'ok'), finding('certificate', 'fail'), finding('tls', 'unknown')]));
    expect(kinds(events)).toEqual(['probeFail', 'probeUnknown']);
    expect(events[0]?.message).toContain('Previous status: none');
  });

  it('treats a probe new to the snapshot like a first check, and a probe left out as no change', () => {
    const before = snapshot([finding('nla', 'ok'), finding('certificate', 'fail')]);
    const after = snapshot([finding('nla', 'ok'), finding('handshake', 'warn'), finding('tls', 'ok')]);
    expect(kinds(probeStatusEvents(before, after))).toEqual(['probeWarn']);
  });

  it('says what changed, where, and what was read', () => {
    const before = snapshot([finding('certificate', 'ok', { title: 'Certificate' })]);
    const after = snapshot([
      finding('certificate', 'fail', {
        title: 'Certificate',
        summary: 'The certificate Remote Desktop uses has expired.',
        evidence: { Thumbprint: 'ABC', 'Valid until': '2026-11-01T00:00:00.000Z' },
        fixes: [fix('certificate.renew-self-signed', 'Create a new certificate', {})],
      }),
    ]);
    const [event] = probeStatusEvents(before, after);
    expect(event?.message.split('\r\n')).toEqual([
      'RDP Health: Certificate is now failing (was OK).',
      'The certificate Remote Desktop uses has expired.',
      '',
      'Host: RDPHOST01',
      'Probe: certificate',
      'Status: fail',
      'Previous status: ok',
      'Checked at: 2026-11-25T12:00:00.000Z',
      'Fixes offered: certificate.renew-self-signed',
      'Evidence:',
      '  Thumbprint: ABC',
      '  Valid until: 2026-11-01T00:00:00.000Z',
    ]);
  });
});

describe('fixEvent', () => {
  const base = { fixId: 'nla.require', fixTitle: 'Require NLA', message: 'done', host: 'RDPHOST01', user: 'CORP\\alice' };

  it.each([
    ['apply', 'fixed', 1010, 'Information', 'was applied and the problem is gone'],
    ['apply', 'still-failing', 1011, 'Warning', 'still finds a problem'],
    ['apply', 'failed', 1012, 'Error', 'failed'],
    ['apply', 'cancelled', 1014, 'Information', 'declined; nothing was changed'],
    ['undo', 'fixed', 1013, 'Information', 'Undoing the repair "Require NLA" was undone'],
    ['undo', 'still-failing', 1013, 'Information', 'was undone'],
    ['undo', 'failed', 1012, 'Error', 'failed'],
    ['undo', 'cancelled', 1014, 'Information', 'declined'],
  ] as const)('%s ending %s is event %i (%s)', (action, outcome, id, type, words) => {
    const event = fixEvent({ ...base, action, outcome, recordId: 'rec-1' });
    expect(event.eventId).toBe(id);
    expect(event.entryType).toBe(type);
    expect(event.message).toContain(words);
    expect(event.message).toContain('Fix: nla.require');
    expect(event.message).toContain('Undo record: rec-1');
    expect(event.message).toContain('Requested by: CORP\\alice');
  });
});

describe('the event id table', () => {
  const script = readFileSync(new URL('../../../probes/common/Write-RdpHealthEvent.ps1', import.meta.url), 'utf8');
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

  it('is the set the shipped script accepts, no more, no less', () => {
    const validateSet = /ValidateSet\(([\d,\s]+)\)\]\s*\[int\]\$EventId/.exec(script)?.[1];
    expect(validateSet).toBeDefined();
    const accepted = (validateSet ?? '').split(',').map((n) => Number(n.trim()));
    expect(accepted.sort()).toEqual(Object.values(EVENT_IDS).sort());
  });

  it('uses only the entry types the script accepts', () => {
    const accepted = /ValidateSet\(([^)]*)\)\]\s*\[string\]\$EntryType/.exec(script)?.[1] ?? '';
    for (const type of new Set(Object.values(ENTRY_TYPES))) expect(accepted).toContain(`'${type}'`);
  });

  it('is documented in README, one row per id', () => {
    for (const [kind, id] of Object.entries(EVENT_IDS)) {
      expect(readme, kind).toMatch(new RegExp(`\\|\\s*${id}\\s*\\|\\s*${ENTRY_TYPES[kind as keyof typeof EVENT_IDS]}\\s*\\|`));
    }
  });
});
