import type { Status } from '../bridge.js';
import { NEEDS_HOST_CHECKER_WORDS, STATUS_GLYPH, STATUS_WORD } from '../status.js';

/** Status as a glyph, a word and a colour together; a check only the host checker can run says so. */
export function StatusBadge({ status, needsHostChecker }: { status: Status; needsHostChecker?: boolean }) {
  if (needsHostChecker) {
    return (
      <span className="badge badge-needs-host-checker">
        <span className="badge-glyph" aria-hidden="true">
          ◌
        </span>
        {NEEDS_HOST_CHECKER_WORDS}
      </span>
    );
  }
  return (
    <span className={`badge badge-${status}`}>
      <span className="badge-glyph" aria-hidden="true">
        {STATUS_GLYPH[status]}
      </span>
      {STATUS_WORD[status]}
    </span>
  );
}
