import type { Finding, FixDescriptor } from '../bridge.js';
import { Evidence } from './Evidence.js';
import { StatusBadge } from './StatusBadge.js';

interface Props {
  findings: Finding[];
  busy: boolean;
  onRepair: (fix: FixDescriptor) => void;
}

export const probeElementId = (probeId: string) => `probe-${probeId}`;

/** Every probe as a list item named by its title: status in words, the summary, evidence, repairs. */
export function ProbeList({ findings, busy, onRepair }: Props) {
  return (
    <ul className="probes" aria-label="Checks">
      {findings.map((finding) => {
        const titleId = `${probeElementId(finding.probeId)}-title`;
        const fixes = finding.status === 'ok' ? [] : finding.fixes;
        return (
          <li key={finding.probeId} id={probeElementId(finding.probeId)} className={`probe probe-${finding.status}`} aria-labelledby={titleId} tabIndex={-1}>
            <div className="probe-head">
              <h3 id={titleId}>{finding.title}</h3>
              <StatusBadge status={finding.status} needsHostChecker={finding.needsHostChecker === true} />
            </div>
            <p className="summary">{finding.summary}</p>
            <Evidence evidence={finding.evidence} />
            {fixes.length > 0 ? (
              <div className="fixes">
                {fixes.map((fix) => (
                  <div key={fix.id} className="fix">
                    <button type="button" disabled={busy} onClick={() => onRepair(fix)}>
                      Repair: {fix.title}
                    </button>
                    {fix.lowersSecurity ? <span className="risk">Lowers security</span> : null}
                    {fix.disruptsSessions ? <span className="risk">Drops active sessions</span> : null}
                  </div>
                ))}
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
