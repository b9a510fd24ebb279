/** Side-by-side diff of two versions' terms, from the API's diff endpoint; the pickers of the two versions are shared with rate cards (VersionComparison). */
import { type ReactNode, useState } from 'react';
import { Field } from '../../common/ui/Field.tsx';
import { EmptyState, ErrorState, Loading } from '../../common/ui/states.tsx';
import { type Contract, useDiffVersionsQuery } from './contracts-api.ts';

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 1);
}

export function VersionCompare({ contract }: { contract: Contract }) {
  return (
    <VersionComparison versions={contract.versions} describe={(version) => version.kind}>
      {(from, to) => <TermsDiff contract={contract} from={from} to={to} />}
    </VersionComparison>
  );
}

/** What changed in the terms from version `from` to version `to` (two different versions). */
function TermsDiff({ contract, from, to }: { contract: Contract; from: number; to: number }) {
  const { data, error, isFetching, refetch } = useDiffVersionsQuery({ contractId: contract.id, from, to });
  return isFetching && !data ? (
    <Loading />
  ) : error ? (
    <ErrorState error={error} onRetry={refetch} />
  ) : !data || data.changes.length === 0 ? (
    <EmptyState title="The terms of these versions are the same" />
  ) : (
    <div className="table-wrap">
      <table className="table diff">
        <thead>
          <tr>
            <th>Term</th>
            <th>Version {data.from}</th>
            <th>Version {data.to}</th>
          </tr>
        </thead>
        <tbody>
          {data.changes.map((change) => (
            <tr key={change.path}>
              <td className="mono">{change.path}</td>
              <td className="from mono">{show(change.from)}</td>
              <td className="to mono">{show(change.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface ComparableVersion {
  number: number;
  status: string;
}

/**
 * Two versions of a document (a contract, a rate card) picked to compare, by default the last two,
 * and what `children` shows of their difference once they are two different ones. `describe` says
 * what a version is after its number in the pickers.
 */
export function VersionComparison<V extends ComparableVersion>({
  versions,
  describe,
  children,
}: {
  versions: readonly V[];
  describe: (version: V) => string;
  children: (from: number, to: number) => ReactNode;
}) {
  const numbers = versions.map((version) => version.number);
  const last = numbers.at(-1) ?? 1;
  const [from, setFrom] = useState(numbers.length > 1 ? (numbers.at(-2) ?? 1) : last);
  const [to, setTo] = useState(last);
  const picker = (label: string, value: number, set: (number: number) => void) => (
    <Field label={label}>
      <select value={value} onChange={(event) => set(Number(event.target.value))}>
        {versions.map((version) => (
          <option key={version.number} value={version.number}>
            v{version.number} {describe(version)} ({version.status.replaceAll('_', ' ')})
          </option>
        ))}
      </select>
    </Field>
  );
  return (
    <section aria-label="Compare versions">
      <div className="toolbar">
        {picker('Compare', from, setFrom)}
        {picker('with', to, setTo)}
      </div>
      {from === to ? <EmptyState title="Pick two different versions to compare" /> : children(from, to)}
    </section>
  );
}
