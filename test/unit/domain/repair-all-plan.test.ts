import { describe, expect, it } from 'vitest';
import { repairAllPlan } from '../../../electron/domain/repair.js';
import { NLA_FIXES } from '../../../probes/nla/nla.js';
import { SECURITY_LAYER_FIXES } from '../../../probes/security-layer/security-layer.js';
import { TLS_FIXES } from '../../../probes/tls/tls.js';

// security-layer-rdp-with-nla: the security layer offers Negotiate and TLS (two ways to solve one
// problem), NLA offers turning itself off (lowers security). Before this rule lived in one place the
// window listed both layer fixes and the agent ran one, reporting the other as "no longer offered".
const rdpLayerWithNla = [
  { status: 'fail', fixes: [SECURITY_LAYER_FIXES.setNegotiate, SECURITY_LAYER_FIXES.setTls] },
  { status: 'fail', fixes: [NLA_FIXES.disable] },
  { status: 'ok', fixes: [TLS_FIXES.enableTls12] },
];

describe('repairAllPlan (what the window lists, the tray counts and the agent runs)', () => {
  it('takes the first safe fix of each problem, once', () => {
    expect(repairAllPlan(rdpLayerWithNla).map((fix) => fix.id)).toEqual(['security-layer.set-negotiate']);
  });

  it('never takes a fix that lowers security or drops sessions, nor one of a passing check', () => {
    expect(repairAllPlan([{ status: 'fail', fixes: [NLA_FIXES.disable] }, { status: 'ok', fixes: [TLS_FIXES.enableTls12] }])).toEqual([]);
  });

  it('skips to the next safe fix of a problem when policy or the catalog refuses the first', () => {
    const plan = repairAllPlan(rdpLayerWithNla, (fix) => fix.id !== 'security-layer.set-negotiate');
    expect(plan.map((fix) => fix.id)).toEqual(['security-layer.set-tls']);
  });

  it('lists a fix two problems share only once', () => {
    const shared = [{ status: 'warn', fixes: [TLS_FIXES.enableTls12] }, { status: 'fail', fixes: [TLS_FIXES.enableTls12] }];
    expect(repairAllPlan(shared)).toHaveLength(1);
  });
});
