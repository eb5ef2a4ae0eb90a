import { estimateStrength, MIN_ACCEPTED_SCORE, type Strength } from '../../../shared/passphrase';

const LABELS = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;

/** Live estimate from the same function main enforces, so "accepted" here means accepted there. */
export function StrengthMeter({ strength, id }: { strength: Strength; id?: string }) {
  const accepted = strength.score >= MIN_ACCEPTED_SCORE;
  return (
    <div className="strength" id={id} data-testid="strength-meter" data-score={strength.score} data-accepted={accepted}>
      <div className="strength-bar" role="meter" aria-label="Passphrase strength" aria-valuemin={0} aria-valuemax={4} aria-valuenow={strength.score} aria-valuetext={LABELS[strength.score]}>
        {[0, 1, 2, 3, 4].map((i) => (
          <span key={i} className={i <= strength.score && strength.bits > 0 ? `seg on s${strength.score}` : 'seg'} />
        ))}
      </div>
      <p className="strength-text" aria-live="polite">
        {strength.bits > 0 ? (
          <>
            <strong className={`s${strength.score}`}>{LABELS[strength.score]}</strong>
            <span className="muted"> · ~{strength.bits} bits · </span>
          </>
        ) : null}
        <span data-testid="strength-feedback">{strength.feedback}</span>
      </p>
    </div>
  );
}

export { estimateStrength, MIN_ACCEPTED_SCORE };
