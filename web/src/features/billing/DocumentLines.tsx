/**
 * A document's lines: what each bills, at what rate, with its explanation on demand; adjustment
 * lines name and link the issued document they correct. The footer sums are the API's: the
 * subtotal, a row per tax line (its rate, the net it was charged on, the tax) or the note that
 * replaces tax (reverse charge), and the total; when finalization applied the party's credits, what
 * they paid and the amount due after them.
 */
import { Decimal } from 'decimal.js';
import { Link } from 'react-router';
import { useCurrentUser } from '../../app/hooks.ts';
import { formatCount, formatDate, humanize } from '../../common/format.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { Money } from '../../common/ui/Money.tsx';
import { EmptyState } from '../../common/ui/states.tsx';
import { type BillingDocument, type DocumentLine, documentHref } from './billing-api.ts';
import { FlagBadges } from './DocumentFlags.tsx';
import { ExplainDetails } from './explain/ExplainView.tsx';

const unitWords: Record<DocumentLine['unit'], string> = {
  impressions: 'impressions',
  completed_views: 'completed views',
  clicks: 'clicks',
  conversions: 'conversions',
  days: 'days',
  period: 'period',
};

/** What a media rate is per, after the amount: CPM per 1,000 impressions, CPCV per completed view, CPC per click. */
const rateSuffix: Partial<Record<DocumentLine['unit'], string>> = { impressions: ' CPM', completed_views: ' CPCV', clicks: ' CPC' };

/** The rate as the line prices it: per 1,000 impressions, per completed view, per click, per conversion, a fee percentage, per day. */
function LineRate({ line, currency }: { line: DocumentLine; currency: string }) {
  if (line.rate === null) return <span className="muted">—</span>;
  if (line.explain.rule === 'fee.percent_of_media') return <span>{formatDecimal(line.rate)} %</span>;
  return (
    <span>
      <Money amount={line.rate} currency={currency} />
      {rateSuffix[line.unit] !== undefined && <span className="muted small">{rateSuffix[line.unit]}</span>}
    </span>
  );
}

export function DocumentLines({ document }: { document: BillingDocument }) {
  const isParty = useCurrentUser().role === 'party';
  if (document.lines.length === 0) return <EmptyState title="No lines">Nothing was delivered in this period.</EmptyState>;
  const { currency } = document;
  return (
    <div className="table-wrap card" style={{ padding: 0 }}>
      <table className="table" aria-label="Lines">
        <thead>
          <tr>
            <th className="number">#</th>
            <th>Contract</th>
            <th>Line</th>
            <th className="number">Quantity</th>
            <th className="number">Rate</th>
            <th className="number">Amount</th>
          </tr>
        </thead>
        <tbody>
          {document.lines.map((line) => (
            <tr key={line.position}>
              <td className="number">{line.position}</td>
              <td className="mono small">
                {isParty ? line.contractNumber : <Link to={`/contracts/${line.contractId}`}>{line.contractNumber}</Link>}
              </td>
              <td>
                <div>
                  {line.description}
                  <FlagBadges flags={line.flags} />
                </div>
                <div className="small muted">
                  {humanize(line.kind)}
                  {line.lineItem && <> · {line.lineItem}</>} · {formatDate(line.from)} – {formatDate(line.to)}
                </div>
                {line.corrects && (
                  <div className="small">
                    Corrects <Link to={documentHref({ kind: document.kind, id: line.corrects.documentId })}>{line.corrects.number}</Link> (
                    {line.corrects.periodLabel})
                  </div>
                )}
                <ExplainDetails explain={line.explain} currency={currency} />
              </td>
              <td className="number">
                {formatCount(line.quantity)} <span className="muted small">{unitWords[line.unit]}</span>
              </td>
              <td className="number">
                <LineRate line={line} currency={currency} />
              </td>
              <td className="number">
                <Money amount={line.amount} currency={currency} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={5}>Subtotal</td>
            <td className="number">
              <Money amount={document.subtotal} currency={currency} />
            </td>
          </tr>
          <TaxRows document={document} />
          <tr>
            <td colSpan={5}>Total</td>
            <td className="number">
              <Money amount={document.total} currency={currency} />
            </td>
          </tr>
          <CreditRows document={document} />
        </tfoot>
      </table>
    </div>
  );
}

/**
 * Under the total, what the party's credits paid of it at finalization and the amount due after
 * them (net of payments and credit notes too, as the API counts it); none when no credit was
 * applied, so that most documents end at their total, as their PDF does.
 */
export function CreditRows({ document }: { document: Pick<BillingDocument, 'creditsApplied' | 'amountDue' | 'currency'> }) {
  if (new Decimal(document.creditsApplied).isZero()) return null;
  return (
    <>
      <tr>
        <td colSpan={5}>Credits applied</td>
        <td className="number">
          <Money amount={document.creditsApplied} currency={document.currency} />
        </td>
      </tr>
      <tr>
        <td colSpan={5}>Amount due</td>
        <td className="number">
          <Money amount={document.amountDue} currency={document.currency} />
        </td>
      </tr>
    </>
  );
}

/**
 * The note of a reverse-charged document: src/wire/taxes.ts's REVERSE_CHARGE_NOTE, written out
 * because that file's schemas would bring zod into the document page's chunk.
 */
const reverseChargeNote = 'Reverse charge';

/**
 * The tax part of the footer: a row per tax line (name and code, the base in the quantity column, the
 * percent in the rate column, the tax), the note a reverse-charged document prints instead, or, on a
 * draft, that tax is worked out at finalization (the rates in force then apply).
 */
export function TaxRows({ document }: { document: Pick<BillingDocument, 'number' | 'taxes' | 'taxTotal' | 'taxNote' | 'currency'> }) {
  const { currency } = document;
  if (document.number === null) {
    return (
      <tr>
        <td colSpan={5}>Tax</td>
        <td className="number muted small">worked out when finalized</td>
      </tr>
    );
  }
  return (
    <>
      {document.taxes.map((tax) => (
        <tr key={tax.code}>
          <td colSpan={3}>
            {tax.name} <span className="mono small muted">{tax.code}</span>
          </td>
          <td className="number">
            <span className="muted small">on </span>
            <Money amount={tax.base} currency={currency} />
          </td>
          <td className="number">{formatDecimal(tax.percent)} %</td>
          <td className="number">
            <Money amount={tax.amount} currency={currency} />
          </td>
        </tr>
      ))}
      {document.taxes.length > 1 && (
        <tr>
          <td colSpan={5}>Tax total</td>
          <td className="number">
            <Money amount={document.taxTotal} currency={currency} />
          </td>
        </tr>
      )}
      {document.taxNote !== null && (
        <tr>
          <td colSpan={5}>
            <strong>{document.taxNote}</strong>{' '}
            <span className="muted small">
              {document.taxNote === reverseChargeNote ? 'no tax charged: the customer accounts for the VAT' : 'no tax charged'}
            </span>
          </td>
          <td className="number">
            <Money amount={document.taxTotal} currency={currency} />
          </td>
        </tr>
      )}
    </>
  );
}
