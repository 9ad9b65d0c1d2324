import { useMemo } from 'react';
import type { HealthSnapshot } from '../bridge.js';
import { shortTime } from '../format.js';
import { historyChart } from '../history-model.js';
import { STATUS_WORD } from '../status.js';

const WIDTH = 640;
const HEIGHT = 120;
const AXIS = 22;

/** Outer labels hang inwards so they are never cut at the edges. */
function tickAnchor(index: number, count: number): 'start' | 'middle' | 'end' {
  if (count === 1) return 'middle';
  return index === 0 ? 'start' : index === count - 1 ? 'end' : 'middle';
}

/** How health changed: one bar per check (height = problems found, fill = overall status). */
export function HistoryChart({ history }: { history: HealthSnapshot[] }) {
  const model = useMemo(() => historyChart(history, { width: WIDTH, height: HEIGHT - 4 }), [history]);
  if (model.bars.length === 0) return <p>{model.summary}</p>;
  return (
    <figure className="history">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`} role="img" aria-labelledby="history-title history-summary" preserveAspectRatio="none">
        <title id="history-title">Health over the last {model.bars.length} checks</title>
        <desc id="history-summary">{model.summary}</desc>
        <line x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} className="axis" />
        {model.bars.map((bar) => (
          <rect key={bar.at} x={bar.x} y={HEIGHT - bar.height} width={bar.width} height={bar.height} className={`bar bar-${bar.status}`}>
            <title>{bar.label}</title>
          </rect>
        ))}
        {model.ticks.map((tick, i) => (
          <text key={tick.at + tick.x} x={tick.x} y={HEIGHT + 16} textAnchor={tickAnchor(i, model.ticks.length)} className="tick">
            {shortTime(tick.at)}
          </text>
        ))}
      </svg>
      <figcaption>
        <span>{model.summary}</span>{' '}
        <span className="legend">
          Bar height: problems found (up to {model.maxProblems}).{' '}
          {(['ok', 'warn', 'unknown', 'fail'] as const).map((status) => (
            <span key={status} className="legend-item">
              <span className={`swatch bar-${status}`} aria-hidden="true" /> {STATUS_WORD[status]}
            </span>
          ))}
        </span>
      </figcaption>
    </figure>
  );
}
