/** The contract's versions in order: kind, status, effective date, who made it; pick one to view. */
import { Link } from 'react-router';
import { formatDate, formatInstant, humanize } from '../../common/format.ts';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { PersonName } from '../people/PersonName.tsx';
import type { Contract } from './contracts-api.ts';

export function VersionTimeline({ contract, selected }: { contract: Contract; selected: number | undefined }) {
  return (
    <ol className="timeline" aria-label="Versions">
      {contract.versions.map((version) => (
        <li
          key={version.number}
          className={[version.number === contract.currentVersion ? 'current' : '', version.number === selected ? 'selected' : ''].join(' ')}
        >
          <div>
            <Link to={`?tab=terms&version=${version.number}`} aria-current={version.number === selected ? 'true' : undefined}>
              v{version.number}
            </Link>
          </div>
          <div>
            <div>
              {humanize(version.kind)}
              <StatusBadge status={version.status} />
              {version.number === contract.currentVersion && <span className="badge ok">latest approved</span>}
            </div>
            <div className="small">effective {formatDate(version.effectiveFrom)}</div>
            <div className="small muted">
              by <PersonName id={version.createdBy} />, {formatInstant(version.createdAt)}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
