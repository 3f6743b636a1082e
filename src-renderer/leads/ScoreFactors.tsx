// The factors behind a lead's score, in a popover beside its badge: each rule's label and points, biggest effect first.
import { useEffect, useRef } from 'react';
import type { LeadQueueRow } from '../../src-shared/api/leads.api';
import { fullName, signedPoints } from './lead-format';

interface Props {
  lead: LeadQueueRow;
  /** Where the badge is (viewport coordinates). */
  anchor: { left: number; top: number; bottom: number };
  onClose(): void;
}

export function ScoreFactors({ lead, anchor, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  const factors = [...lead.scoreFactors].sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  // Below the badge, or above it near the bottom of the window; kept inside the window's width.
  const below = anchor.bottom + 260 < window.innerHeight;
  const style = { left: Math.max(8, Math.min(anchor.left - 200, window.innerWidth - 328)), ...(below ? { top: anchor.bottom + 4 } : { bottom: window.innerHeight - anchor.top + 4 }) };
  return (
    <div ref={ref} className="lq-factors card" role="dialog" aria-label={`Score factors for ${fullName(lead)}`} tabIndex={-1} style={style} data-testid="score-factors">
      <div className="lq-factors-head">
        <strong>Score {lead.score}</strong>
        <span className="muted">{fullName(lead)}</span>
        <button type="button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {factors.length === 0 ? (
        <p className="muted">No rule has scored this lead yet.</p>
      ) : (
        <table>
          <tbody>
            {factors.map((f) => (
              <tr key={f.key}>
                <td>{f.label}</td>
                <td className={`lq-points ${f.points < 0 ? 'lq-neg' : 'lq-pos'}`}>{signedPoints(f.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
