import type { FixDescriptor } from '../bridge.js';

/** A "Repair: …" button per fix, with its risks in words; each opens the repair dialog (preview → confirm). */
export function FixButtons({ fixes, busy, onRepair }: { fixes: readonly FixDescriptor[]; busy: boolean; onRepair: (fix: FixDescriptor) => void }) {
  if (fixes.length === 0) return null;
  return (
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
  );
}
