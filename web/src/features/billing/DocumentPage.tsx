/**
 * One invoice or payout statement: its party, period and dates, what credits, payments and credit
 * notes settled and what is outstanding, its actions, its lines with their explanations, its credit
 * notes and its audit trail. A party user reaches its own issued documents here from the portal; the
 * server answers 404 for the rest.
 */
import { Decimal } from 'decimal.js';
import { lazy, Suspense } from 'react';
import { Link, useParams } from 'react-router';
import { useCan, useCurrentUser } from '../../app/hooks.ts';
import { formatDate, formatInstant, formatMonth } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading } from '../../common/ui/states.tsx';
import { StatusBadge } from '../../common/ui/StatusBadge.tsx';
import { type BillingDocument, type DocumentKind, documentTitle, useGetDocumentQuery } from './billing-api.ts';
import { CreditNotes } from './CreditNotes.tsx';
import { Payments } from './Payments.tsx';
import { DocumentActions } from './DocumentActions.tsx';
import { FlagBadges, ReviewNote } from './DocumentFlags.tsx';
import { DocumentLines } from './DocumentLines.tsx';
import { OverdueBadge } from './OverdueBadge.tsx';
import { PersonName } from '../people/PersonName.tsx';

const AuditTrail = lazy(() => import('../audit/AuditTrail.tsx').then((module) => ({ default: module.AuditTrail })));

export default function DocumentPage({ kind }: { kind: DocumentKind }) {
  const { documentId = '' } = useParams();
  const canReadAudit = useCan('audit.read');
  const { data: document, error, isLoading, refetch } = useGetDocumentQuery({ kind, id: documentId });
  if (isLoading) return <Loading />;
  if (error || !document) return <ErrorState error={error} onRetry={refetch} />;
  return (
    <>
      <PageHeader
        title={documentTitle(document)}
        subtitle={
          <>
            {document.party.name} · {formatMonth(document.period.label)} · <StatusBadge status={document.status} />
            <OverdueBadge document={document} />
            <FlagBadges flags={document.flags} />
          </>
        }
      />
      <DocumentActions document={document} />
      {document.status === 'needs_review' && <ReviewNote flags={document.flags} />}
      {document.status === 'void' && (
        <div className="alert error">
          <strong>Void</strong>
          This {kind === 'invoice' ? 'invoice' : 'statement'} was voided; its ledger postings were reversed. Nothing is due on it.
        </div>
      )}
      <div className="grid-2">
        <DocumentFacts document={document} />
        <DocumentTotals document={document} />
      </div>
      <h2>Lines</h2>
      <DocumentLines document={document} />
      {document.number && <Payments kind={kind} documentId={document.id} currency={document.currency} />}
      {kind === 'invoice' && document.number && <CreditNotes invoiceId={document.id} currency={document.currency} />}
      {canReadAudit && (
        <>
          <h2>Audit trail</h2>
          <Suspense fallback={<Loading />}>
            <AuditTrail entityType={kind} entityId={document.id} />
          </Suspense>
        </>
      )}
    </>
  );
}

function DocumentFacts({ document }: { document: BillingDocument }) {
  const me = useCurrentUser();
  const canRun = useCan('billing.run');
  const isParty = me.role === 'party';
  return (
    <div className="card">
      <dl className="facts">
        <dt>{document.kind === 'invoice' ? 'Bill to' : 'Pay to'}</dt>
        <dd>{isParty ? document.party.name : <Link to={`/parties/${document.partyId}`}>{document.party.name}</Link>}</dd>
        <dt>Billing email</dt>
        <dd>{document.party.billingEmail ?? '—'}</dd>
        <dt>Period</dt>
        <dd>
          {document.period.label} ({formatDate(document.period.from)} – {formatDate(document.period.to)})
        </dd>
        <dt>Issued</dt>
        <dd>
          {document.issueDate ? formatDate(document.issueDate) : <span className="muted">not yet: a draft has no number or dates</span>}
        </dd>
        <dt>Due</dt>
        <dd>
          {formatDate(document.dueDate)} <span className="muted small">(net {document.paymentTermsDays} days)</span>
        </dd>
        <dt>Currency</dt>
        <dd>{document.currency}</dd>
        {!isParty && (
          <>
            <dt>Billing run</dt>
            <dd className="mono small">{canRun ? <Link to={`/billing/runs/${document.runId}`}>{document.runId}</Link> : document.runId}</dd>
            <dt>Finalized</dt>
            <dd className="small">
              {document.finalizedAt ? (
                <>
                  {formatInstant(document.finalizedAt)} by <PersonName id={document.finalizedBy} />
                </>
              ) : (
                '—'
              )}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

function DocumentTotals({ document }: { document: BillingDocument }) {
  const { currency } = document;
  const figure = (label: string, amount: string) => (
    <div>
      <div className="label">{label}</div>
      <div className="figure">
        <Money amount={amount} currency={currency} />
      </div>
    </div>
  );
  return (
    <div className="card" aria-label="Totals">
      <div className="totals">
        {figure('Total', document.total)}
        {!new Decimal(document.taxTotal).isZero() && figure('Of which tax', document.taxTotal)}
        {!new Decimal(document.creditsApplied).isZero() && figure('Credits applied', document.creditsApplied)}
        {document.kind === 'invoice' && figure('Credited', document.amountCredited)}
        {figure(document.kind === 'invoice' ? 'Paid' : 'Paid out', document.amountPaid)}
        {figure('Outstanding', document.amountDue)}
      </div>
    </div>
  );
}
