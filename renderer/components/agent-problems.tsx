import { useState } from 'react';
import type { AgentProblem } from '../bridge.js';

const HEADING: Record<AgentProblem['kind'], string> = {
  settings: 'Your settings were reset',
  logging: 'Logging fell back',
  'data-folder': 'RDP Health cannot save its data',
};

/** Problems with RDP Health itself, each said once in plain words until the person dismisses it. */
export function AgentProblems({ problems }: { problems: AgentProblem[] }) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const shown = problems.filter((problem) => !dismissed.has(problem.message));
  if (shown.length === 0) return null;
  return (
    <section className="agent-problems" aria-label="Problems with RDP Health">
      {shown.map((problem) => (
        <div key={problem.kind} className="warning agent-problem" role="status">
          <strong>{HEADING[problem.kind]}.</strong> {problem.message}{' '}
          <button type="button" onClick={() => setDismissed((current) => new Set([...current, problem.message]))}>
            Dismiss
          </button>
        </div>
      ))}
    </section>
  );
}
