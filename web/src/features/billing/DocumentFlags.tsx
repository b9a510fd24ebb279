/** The flags of a document or line (why it needs review), as badges that say what they mean. */
import { humanize } from '../../common/format.ts';

export const flagMeanings: Record<string, string> = {
  missing_third_party: 'No third-party count on some days: the first-party count was billed for them.',
  discrepancy: "First- and third-party counts differ by more than the line's tolerance.",
  capped: 'A cap (impressions, a line budget or the contract budget) kept part of the delivery from being billed.',
  unrated_impressions: 'Impressions were recorded for a line item the terms do not price.',
};

export function FlagBadges({ flags }: { flags: readonly string[] }) {
  if (flags.length === 0) return null;
  return (
    <span className="flag-list">
      {flags.map((flag) => (
        <span key={flag} className="badge warn" title={flagMeanings[flag] ?? flag}>
          {humanize(flag)}
        </span>
      ))}
    </span>
  );
}

/** What review means for a flagged draft, flag by flag. */
export function ReviewNote({ flags }: { flags: readonly string[] }) {
  return (
    <div className="alert warn" role="note">
      <strong>Needs review before it is finalized</strong>
      <ul>
        {flags.map((flag) => (
          <li key={flag}>
            <strong style={{ display: 'inline' }}>{humanize(flag)}</strong>: {flagMeanings[flag] ?? 'See the flagged lines.'}
          </li>
        ))}
      </ul>
    </div>
  );
}
