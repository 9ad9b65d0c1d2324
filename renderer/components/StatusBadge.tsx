import type { Status } from '../bridge.js';
import { STATUS_GLYPH, STATUS_WORD } from '../status.js';

/** Status as a glyph, a word and a colour together. */
export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge badge-${status}`}>
      <span className="badge-glyph" aria-hidden="true">
        {STATUS_GLYPH[status]}
      </span>
      {STATUS_WORD[status]}
    </span>
  );
}
