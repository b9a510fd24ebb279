/**
 * What a rule would have done to the last 30 days of conversions (SPEC §9): how many it matches, how
 * many it would decide (an earlier active rule decides the others first), what is at stake by
 * status today, per partner, and a few examples. The preview changes nothing.
 */
import { Link } from 'react-router';
import { formatCount, formatInstant } from '../../common/format.ts';
import { DataTable } from '../../common/ui/PagedTable.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import type { ScrubPreview } from './scrub-api.ts';

type PartnerCounts = ScrubPreview['byPartner'][number];

export function PreviewPanel({ preview, stale }: { preview: ScrubPreview; stale: boolean }) {
  const verb = preview.action === 'reject' ? 'reject' : 'hold';
  const stakes = preview.matchedByStatus;
  return (
    <section className="card" aria-label="Preview" data-testid="preview">
      <h2 style={{ marginTop: 0 }}>Against the last 30 days</h2>
      {stale && (
        <div className="alert warn" role="status">
          The rule changed since this test: test again to see what it would do now.
        </div>
      )}
      <p className="small muted">
        Conversions that occurred from {formatInstant(preview.from)} to {formatInstant(preview.to)}. Nothing was changed.
      </p>
      <dl className="facts" data-testid="preview-figures">
        <dt>Evaluated</dt>
        <dd>{formatCount(preview.evaluated)}</dd>
        <dt>Matched</dt>
        <dd>{formatCount(preview.matched)}</dd>
        <dt>Would {verb}</dt>
        <dd>
          <strong>{formatCount(preview.decided)}</strong>
        </dd>
        <dt>Decided first by another rule</dt>
        <dd>{formatCount(preview.shadowed)}</dd>
      </dl>
      {stakes.approved > 0 && (
        <div className="alert warn" role="status">
          {formatCount(stakes.approved)} of the matched conversions are approved today: billed ones this rule would have stopped.
        </div>
      )}
      <p className="small">
        Matched by status today: {formatCount(stakes.pending)} pending, {formatCount(stakes.approved)} approved, {formatCount(stakes.held)}{' '}
        held, {formatCount(stakes.rejected)} rejected, {formatCount(stakes.reversed)} reversed.
      </p>
      {preview.truncated && (
        <div className="alert info" role="status">
          More conversions occurred in these 30 days than one preview reads: the figures are of the most recent ones.
        </div>
      )}
      {preview.byPartner.length > 0 && (
        <DataTable<PartnerCounts>
          items={preview.byPartner}
          rowKey={(row) => row.partnerId ?? 'none'}
          label="Preview by partner"
          framed={false}
          columns={[
            {
              header: 'Partner',
              cell: (row) => (row.partnerId ? <PartyName id={row.partnerId} /> : <span className="muted">none credited</span>),
            },
            { header: 'Evaluated', cell: (row) => formatCount(row.evaluated), className: 'number' },
            { header: 'Matched', cell: (row) => formatCount(row.matched), className: 'number' },
            { header: `Would ${verb}`, cell: (row) => formatCount(row.decided), className: 'number' },
            { header: 'Decided first by another rule', cell: (row) => formatCount(row.shadowed), className: 'number' },
            { header: 'Approved today', cell: (row) => formatCount(row.matchedByStatus.approved), className: 'number' },
          ]}
        />
      )}
      {preview.samples.length > 0 && (
        <>
          <h3>Examples</h3>
          <ul className="small">
            {preview.samples.map((sample) => (
              <li key={sample.id}>
                <Link to={`/affiliate/conversions/${encodeURIComponent(sample.id)}`}>{sample.id}</Link> · {formatInstant(sample.occurredAt)}{' '}
                · {sample.partnerId ? <PartyName id={sample.partnerId} /> : 'no partner'} · <StatusBadge status={sample.status} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
