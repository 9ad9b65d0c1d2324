/**
 * The catalog against what ships: every fix a probe module declares is in it with the same
 * descriptor, every fix a probe offers on a recorded host is one that probe declared,
 * every script it names exists unless listed as pending (and a pending one really is missing),
 * every fixed parameter is one its script's ValidateSet accepts, every re-run probe exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FixDescriptor } from '../../../probes/common/finding.js';
import { CERTIFICATE_FIXES } from '../../../probes/certificate/certificate.js';
import { CLIENT_FIX_IDS, CLIENT_FIXES } from '../../../probes/client/client-fixes.js';
import { FIREWALL_FIXES } from '../../../probes/firewall/firewall-analysis.js';
import { KEY_ACCESS_FIXES } from '../../../probes/key-access/key-access.js';
import { LISTENER_FIXES } from '../../../probes/listener/listener.js';
import { NLA_FIXES } from '../../../probes/nla/nla.js';
import { SECURITY_LAYER_FIXES } from '../../../probes/security-layer/security-layer.js';
import { TLS_FIXES } from '../../../probes/tls/tls.js';
import { PROBES } from '../../../probes/index.js';
import { FIX_CATALOG, PENDING_SCRIPTS } from '../../../electron/agent/repair/fix-catalog.js';
import { probeScriptPath } from '../../../electron/agent/script-paths.js';
import { probesDir } from './repair-harness.js';
import { recordedFinding } from '../../unit/probes/recorded-fixture.js';

const OFFERED: FixDescriptor[] = [CERTIFICATE_FIXES, CLIENT_FIXES, FIREWALL_FIXES, KEY_ACCESS_FIXES, LISTENER_FIXES, NLA_FIXES, SECURITY_LAYER_FIXES, TLS_FIXES].flatMap((fixes) => Object.values(fixes));

describe('the fix catalog', () => {
  it('holds exactly the fixes the probes offer, with the same descriptors', () => {
    expect(FIX_CATALOG.ids().sort()).toEqual(OFFERED.map((fix) => fix.id).sort());
    for (const fix of OFFERED) expect(FIX_CATALOG.get(fix.id)?.descriptor).toEqual(fix);
  });

  it('takes every fix a probe offers on any recorded host from that probe\'s own declarations', () => {
    const envelopes = join(probesDir, '../test/fixtures/envelopes');
    let offered = 0;
    for (const probe of PROBES) {
      if (probe.kind !== 'powershell') continue;
      const declared = new Map((probe.fixes ?? []).map((entry) => [entry.descriptor.id, entry.descriptor]));
      for (const file of readdirSync(join(envelopes, probe.id))) {
        for (const fix of recordedFinding(probe, file.replace(/\.json$/, '')).fixes) {
          expect(declared.get(fix.id), `${probe.id}/${file} offers ${fix.id}`).toEqual(fix);
          offered += 1;
        }
      }
    }
    expect(offered).toBeGreaterThan(10);
  });

  it('names scripts that exist, except the pending ones, which must really be missing', () => {
    for (const entry of FIX_CATALOG.entries) {
      const exists = existsSync(probeScriptPath(probesDir, entry.script));
      if (PENDING_SCRIPTS.has(entry.script)) {
        expect(exists, `${entry.script} exists now: remove it from PENDING_SCRIPTS`).toBe(false);
        expect(FIX_CATALOG.isAvailable(entry)).toBe(false);
      } else {
        expect(exists, `${entry.script} is missing`).toBe(true);
      }
    }
  });

  it("gives each shipped script only parameters its ValidateSet accepts", () => {
    for (const entry of FIX_CATALOG.entries.filter((e) => FIX_CATALOG.isAvailable(e))) {
      const text = readFileSync(probeScriptPath(probesDir, entry.script), 'utf8');
      expect(text, entry.script).toMatch(/\[CmdletBinding\(SupportsShouldProcess\)\]/);
      for (const [name, value] of Object.entries(entry.parameters)) {
        const declared = new RegExp(`\\[ValidateSet\\(([^)]*)\\)\\]\\[string\\]\\$${name}\\b`).exec(text);
        expect(declared, `${entry.script} has no ValidateSet parameter ${name}`).not.toBeNull();
        const allowed = [...declared![1]!.matchAll(/'([^']*)'/g)].map((m) => m[1]);
        expect(allowed, `${entry.descriptor.id}: ${name}=${value}`).toContain(value);
      }
    }
  });

  it('re-runs probes that exist, its own first; a fix on this PC is verified by the client side instead', () => {
    const ids = new Set(PROBES.map((probe) => probe.id));
    for (const entry of FIX_CATALOG.entries) {
      expect(entry.verifiedBy === 'client-settings', entry.descriptor.id).toBe(CLIENT_FIX_IDS.has(entry.descriptor.id));
      if (entry.verifiedBy === 'client-settings') {
        expect(entry.probes).toEqual([]);
        continue;
      }
      expect(entry.probes.length).toBeGreaterThan(0);
      for (const id of entry.probes) expect(ids.has(id), `${entry.descriptor.id} re-runs unknown probe ${id}`).toBe(true);
      expect(entry.descriptor.id.startsWith(`${entry.probes[0]}.`)).toBe(true);
    }
  });

  it('looks ids up, nothing else', () => {
    for (const id of ['toString', '__proto__', 'constructor', 'nla.enable ', 'NLA.ENABLE', 42, null]) expect(FIX_CATALOG.get(id)).toBeUndefined();
    expect(Object.isFrozen(FIX_CATALOG.get('nla.enable')?.parameters)).toBe(true);
  });
});
