import type { Finding, FixDescriptor } from '../bridge.js';
import { checksPassedText, problemsFirst } from '../../electron/domain/problems-first.js';
import { Evidence } from './evidence.js';
import { FixButtons } from './fix-buttons.js';
import { StatusBadge } from './status-badge.js';

interface Props {
  findings: Finding[];
  busy: boolean;
  onRepair: (fix: FixDescriptor) => void;
}

export const probeElementId = (probeId: string) => `probe-${probeId}`;

function ProbeItem({ finding, busy, onRepair }: { finding: Finding } & Omit<Props, 'findings'>) {
  const titleId = `${probeElementId(finding.probeId)}-title`;
  const fixes = finding.status === 'ok' ? [] : finding.fixes;
  return (
    <li id={probeElementId(finding.probeId)} className={`probe probe-${finding.status}`} aria-labelledby={titleId} tabIndex={-1}>
      <div className="probe-head">
        <h3 id={titleId}>{finding.title}</h3>
        <StatusBadge status={finding.status} needsHostChecker={finding.needsHostChecker === true} />
      </div>
      <p className="summary">{finding.summary}</p>
      <Evidence evidence={finding.evidence} />
      <FixButtons fixes={fixes} busy={busy} onRepair={onRepair} />
    </li>
  );
}

/**
 * Problems first, worst first, each a list item named by its title (status in words, the summary,
 * evidence, repairs); the checks that passed fold into "N checks passed" while there are problems.
 */
export function ProbeList({ findings, busy, onRepair }: Props) {
  const { problems, passed } = problemsFirst(findings);
  const item = (finding: Finding) => <ProbeItem key={finding.probeId} finding={finding} busy={busy} onRepair={onRepair} />;
  if (problems.length === 0) {
    return (
      <ul className="probes" aria-label="Checks">
        {passed.map(item)}
      </ul>
    );
  }
  return (
    <>
      <ul className="probes" aria-label="Checks">
        {problems.map(item)}
      </ul>
      {passed.length > 0 ? (
        <details className="passed">
          <summary>{checksPassedText(passed.length)}</summary>
          <ul className="probes" aria-label="Passed">
            {passed.map(item)}
          </ul>
        </details>
      ) : null}
    </>
  );
}
