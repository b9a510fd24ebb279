/** One billing entity: its issuer block, number prefix and books' currency, its tax rates and its audit trail. */
import { Link, useParams } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatInstant } from '../../common/format.ts';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading } from '../../common/ui/states.tsx';
import { AuditTrail } from '../audit/AuditTrail.tsx';
import { PersonName } from '../people/PersonName.tsx';
import type { BankDetails } from '../../../../src/wire/bank-details.ts';
import { type BillingEntity, useGetBillingEntityQuery } from './entities-api.ts';
import { PrefixText } from './EntityListPage.tsx';
import { TaxRates } from './TaxRates.tsx';

export default function EntityPage() {
  const { entityId = '' } = useParams();
  const canWrite = useCan('entities.write');
  const canReadAudit = useCan('audit.read');
  const { data: entity, error, isLoading, refetch } = useGetBillingEntityQuery(entityId);
  if (isLoading) return <Loading />;
  if (error || !entity) return <ErrorState error={error} onRetry={refetch} />;
  return (
    <>
      <PageHeader
        title={entity.name}
        subtitle={`Billing entity · ${entity.country} · books in ${entity.baseCurrency}`}
        actions={
          canWrite && (
            <Link className="button" to={`/entities/${entity.id}/edit`}>
              Edit entity
            </Link>
          )
        }
      />
      <div className="card">
        <EntityFacts entity={entity} />
      </div>
      <TaxRates entity={entity} />
      {canReadAudit && (
        <>
          <h2>Audit trail</h2>
          <AuditTrail entityType="billing_entity" entityId={entity.id} />
        </>
      )}
    </>
  );
}

function EntityFacts({ entity }: { entity: BillingEntity }) {
  const none = <span className="muted">—</span>;
  return (
    <dl className="facts">
      <dt>Legal name</dt>
      <dd>{entity.legalName}</dd>
      <dt>Country</dt>
      <dd>{entity.country}</dd>
      <dt>Base currency</dt>
      <dd>
        {entity.baseCurrency}{' '}
        <span className="muted small">
          (entries in other currencies are also kept in {entity.baseCurrency} at the <Link to="/fx-rates">FX rates</Link>)
        </span>
      </dd>
      <dt>Number prefix</dt>
      <dd>
        <PrefixText prefix={entity.numberPrefix} />{' '}
        <span className="muted small">
          (numbers such as {entity.numberPrefix === null ? 'INV-2026-000001' : `INV-${entity.numberPrefix}-2026-000001`})
        </span>
      </dd>
      <dt>Tax id</dt>
      <dd className="mono">{entity.taxId ?? none}</dd>
      <dt>Email</dt>
      <dd>{entity.email ?? none}</dd>
      <dt>Address</dt>
      <dd>{entity.address.length === 0 ? none : entity.address.map((line, index) => <div key={index}>{line}</div>)}</dd>
      <dt>Payment instructions</dt>
      <dd>{entity.paymentInstructions ?? none}</dd>
      <dt>Bank account</dt>
      <dd>{entity.bankDetails ? <BankAccount details={entity.bankDetails} /> : none}</dd>
      <dt>Remit to</dt>
      <dd>{entity.remitTo.length === 0 ? none : entity.remitTo.map((line, index) => <div key={index}>{line}</div>)}</dd>
      <dt>Paper</dt>
      <dd>{entity.paperSize === null ? 'default (A4, or US Letter for USD and CAD)' : entity.paperSize === 'A4' ? 'A4' : 'US Letter'}</dd>
      <dt>Created</dt>
      <dd>
        {formatInstant(entity.createdAt)} by <PersonName id={entity.createdBy} />
      </dd>
      <dt>Id</dt>
      <dd className="mono">{entity.id}</dd>
    </dl>
  );
}

/** The account invoices are paid into, as the PDF prints it (the IBAN in groups of four). */
function BankAccount({ details }: { details: BankDetails }) {
  const rows: [string, string | null | undefined][] = [
    ['Account holder', details.accountName],
    ['Bank', details.bankName],
    ['IBAN', details.iban?.replace(/(.{4})(?=.)/g, '$1 ')],
    ['BIC', details.bic],
    ['Account number', details.accountNumber],
    ['Routing number', details.routingNumber],
    ['Reference', details.reference],
  ];
  return (
    <>
      {rows
        .filter(([, value]) => value)
        .map(([label, value]) => (
          <div key={label}>
            <span className="muted small">{label}:</span> <span className="mono">{value}</span>
          </div>
        ))}
    </>
  );
}
