import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { HealthSnapshot } from '../bridge.js';
import { clockTime } from '../format.js';
import { historyStrip, RANGE_WORD, RANGES, type HistoryRange } from '../history-strip.js';
import { STATUS_GLYPH, STATUS_WORD } from '../status.js';

/**
 * Health over time: a cell per check, coloured and patterned by status, on a readable time axis,
 * with a range choice. The strip is one tab stop; arrow keys move between cells, and the focused
 * (or hovered) cell's summary is read out below.
 */
export function HistoryStrip({ history, now }: { history: HealthSnapshot[]; now: Date }) {
  const [range, setRange] = useState<HistoryRange>('day');
  const model = useMemo(() => historyStrip(history, range, now, clockTime), [history, range, now]);
  const [active, setActive] = useState<number | undefined>(undefined);
  const cells = useRef<Array<HTMLLIElement | null>>([]);
  const current = active !== undefined && active < model.cells.length ? active : model.cells.length - 1;

  const move = (event: KeyboardEvent) => {
    const next = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: model.cells.length - 1 }[event.key];
    if (next === undefined || next < 0 || next >= model.cells.length) return;
    event.preventDefault();
    setActive(next);
    cells.current[next]?.focus();
  };

  return (
    <figure className="history">
      <fieldset className="history-range">
        <legend>Range</legend>
        {(Object.keys(RANGES) as HistoryRange[]).map((value) => (
          <label key={value}>
            <input type="radio" name="history-range" value={value} checked={range === value} onChange={() => setRange(value)} /> {RANGE_WORD[value]}
          </label>
        ))}
      </fieldset>
      {model.cells.length > 0 ? (
        <>
          <ol className="strip" aria-label="Health over time" onKeyDown={move}>
            {model.cells.map((cell, index) => (
              <li
                key={cell.at + String(index)}
                ref={(element) => {
                  cells.current[index] = element;
                }}
                className={`cell cell-${cell.status}`}
                style={{ left: `${cell.left}%`, width: `${cell.width}%` }}
                tabIndex={index === current ? 0 : -1}
                aria-label={cell.label}
                title={cell.label}
                onFocus={() => setActive(index)}
                onMouseEnter={() => setActive(index)}
              />
            ))}
          </ol>
          <div className="strip-axis" aria-hidden="true">
            {model.ticks.map((tick) => (
              <span key={tick.left} style={{ left: `${tick.left}%` }}>
                {tick.text}
              </span>
            ))}
          </div>
          <p className="strip-focus" aria-live="polite">
            {model.cells[current]?.label}
          </p>
        </>
      ) : null}
      <figcaption>
        <span>{model.summary}</span>{' '}
        <span className="legend">
          {(['ok', 'warn', 'unknown', 'fail'] as const).map((status) => (
            <span key={status} className="legend-item">
              <span className={`swatch cell-${status}`} aria-hidden="true">
                {STATUS_GLYPH[status]}
              </span>{' '}
              {STATUS_WORD[status]}
            </span>
          ))}
        </span>
      </figcaption>
    </figure>
  );
}
