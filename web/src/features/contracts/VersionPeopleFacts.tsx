/**
 * Who made a version and when, and who submitted, approved or rejected it, by name: the facts that
 * contract and rate card versions share (`versionApprovalFields`, src/wire/contracts.ts), as rows of
 * a `<dl className="facts">`.
 */
import { formatInstant } from '../../common/format.ts';
import type { ContractVersion } from '../../../../src/wire/contracts.ts';
import { PersonName } from '../people/PersonName.tsx';

type VersionPeople = Pick<ContractVersion, 'createdBy' | 'createdAt' | 'submittedBy' | 'submittedAt' | 'approvals' | 'rejection'>;

export function VersionPeopleFacts({ version }: { version: VersionPeople }) {
  return (
    <>
      <dt>Created</dt>
      <dd>
        <PersonName id={version.createdBy} />, {formatInstant(version.createdAt)}
      </dd>
      {version.submittedBy && (
        <>
          <dt>Submitted</dt>
          <dd>
            <PersonName id={version.submittedBy} />, {formatInstant(version.submittedAt)}
          </dd>
        </>
      )}
      {version.approvals.map((approval, index) => (
        <div key={index} style={{ display: 'contents' }}>
          <dt>Approved</dt>
          <dd>
            <PersonName id={approval.by} />, {formatInstant(approval.at)}
            {approval.comment && <span className="muted"> — “{approval.comment}”</span>}
          </dd>
        </div>
      ))}
      {version.rejection && (
        <>
          <dt>Rejected</dt>
          <dd>
            <PersonName id={version.rejection.by} />, {formatInstant(version.rejection.at)}: {version.rejection.reason}
          </dd>
        </>
      )}
    </>
  );
}
