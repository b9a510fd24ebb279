/**
 * The trial balance as of a date: debits, credits and balance per account, per currency, with
 * each currency's totals and whether they balance (they always should: the ledger only takes
 * balanced postings). Choosing an account lists its entries. The books are one billing entity's or
 * all entities' together, in the entries' own currencies or each entity's base currency (SPEC §10).
 */
import { Decimal } from 'decimal.js';
import { useState } from 'react';
import { todayDate } from '../../common/dates.ts';
import { formatDate, humanize } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { toProblem } from '../../common/problem.ts';
import { CalendarFilter, ChoiceFilter } from '../../common/ui/filters.tsx';
import { MoneyCell } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ListStates } from '../../common/ui/PagedTable.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { EntityFilter, useEntityNames } from '../entities/EntityFilter.tsx';
import { AccountEntries } from './AccountEntries.tsx';
import { AccountName } from './AccountName.tsx';
import { type AccountBalance, type TrialBalanceView, useTrialBalanceQuery } from './billing-api.ts';

/** The two ways of reading the books, in words. */
const viewWords: Record<TrialBalanceView, string> = { document: 'Document currencies', base: 'Base currency' };

/** Document currencies or base currency: two choices, both in sight. */
function ViewToggle({ value, onChange }: { value: TrialBalanceView; onChange: (view: TrialBalanceView) => void }) {
  return (
    <div className="field" role="radiogroup" aria-label="Amounts in">
      <span className="label">Amounts in</span>
      <div style={{ display: 'flex', gap: '0.75rem', padding: '0.38rem 0' }}>
        {(['document', 'base'] as const).map((view) => (
          <label key={view} className="checkbox">
            <input type="radio" name="trial-balance-view" checked={value === view} onChange={() => onChange(view)} />
            {viewWords[view]}
          </label>
        ))}
      </div>
    </div>
  );
}

export default function TrialBalancePage() {
  const [asOf, setAsOf] = useState(todayDate);
  const [view, setView] = useState<TrialBalanceView>('document');
  const [currency, setCurrency] = useState('');
  const [entityId, setEntityId] = useState('');
  const [selected, setSelected] = useState<string | undefined>();
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const inBase = view === 'base';
  const entityNames = useEntityNames();
  // The balance of every currency also says which currencies there are to choose from. In base,
  // there is no currency to choose: each entity's books are in its base currency.
  const all = useTrialBalanceQuery({ asOf, entityId, in: view }, { skip: !validDate });
  const filtered = useTrialBalanceQuery({ asOf, currency, entityId }, { skip: !validDate || inBase || currency === '' });
  const shown = inBase || currency === '' ? all : filtered;
  const currencies = inBase ? [] : (all.data?.totalsByCurrency.map((total) => total.currency) ?? []);
  const entityName = entityId === '' ? undefined : (entityNames.get(entityId) ?? entityId);
  // A refusal of the question itself (422: entries posted before base amounts were kept) is said with
  // its reason, not as a failed load to try again.
  const refusal = toProblem(shown.error);
  const refused = refusal?.status === 422 ? refusal : undefined;
  return (
    <>
      <PageHeader
        title="Trial balance"
        subtitle={
          inBase
            ? "Every ledger account's debits, credits and balance as of a date, in its billing entity's base currency. Each base currency balances on its own."
            : "Every ledger account's debits, credits and balance as of a date. Each currency balances on its own."
        }
      />
      <div className="toolbar">
        <CalendarFilter label="As of" type="date" value={asOf} onChange={setAsOf} error={validDate ? undefined : 'A date'} />
        <EntityFilter
          value={entityId}
          onChange={(value) => {
            setEntityId(value);
            // Another entity's books may not have the currency chosen, nor the account opened.
            setCurrency('');
            setSelected(undefined);
          }}
        />
        <ViewToggle
          value={view}
          onChange={(next) => {
            setView(next);
            // A base balance covers every document currency: the API refuses a currency with it.
            setCurrency('');
          }}
        />
        {!inBase && (
          <ChoiceFilter label="Currency" value={currency} onChange={setCurrency} choices={currencies} anyLabel="All currencies" />
        )}
      </div>
      {validDate && refused && (
        <>
          <ProblemAlert problem={refused} showFieldErrors={false} />
          {inBase && (
            <Button size="small" onClick={() => setView('document')}>
              Show document currencies
            </Button>
          )}
        </>
      )}
      {validDate && !refused && (
        <ListStates
          // currentData: the books as asked, never the other view's or entity's while these load.
          list={{ ...listOf(shown, shown.currentData?.accounts), isLoading: shown.isFetching && !shown.currentData }}
          emptyTitle={`Nothing posted${entityName ? ` in the books of ${entityName}` : ''} by ${formatDate(asOf)}`}
          emptyHint="Finalized invoices, payments and payout statements post to the ledger."
        >
          {(accounts) =>
            shown.currentData?.totalsByCurrency.map((total) => (
              <CurrencyBalance
                key={total.currency}
                currency={total.currency}
                inBase={inBase}
                accounts={accounts.filter((account) => account.currency === total.currency)}
                debit={total.debit}
                credit={total.credit}
                selected={selected}
                onSelect={setSelected}
              />
            ))
          }
        </ListStates>
      )}
      {selected && <AccountEntries account={selected} to={asOf} withBase={inBase} onClose={() => setSelected(undefined)} />}
    </>
  );
}

/** Accounts of one kind: `cash` alone, or every `accounts_receivable:pty_…` together. */
export interface AccountGroup {
  kind: string;
  /** Whether the accounts are per party (`kind:pty_…`). */
  perParty: boolean;
  accounts: AccountBalance[];
  debit: string;
  credit: string;
  balance: string;
}

/** Groups accounts by kind in the order they come, with exact sums per group. */
export function groupAccounts(accounts: AccountBalance[]): AccountGroup[] {
  const groups = new Map<string, { perParty: boolean; accounts: AccountBalance[]; debit: Decimal; credit: Decimal; balance: Decimal }>();
  for (const account of accounts) {
    const [kind = account.account, partyId] = account.account.split(':');
    const group = groups.get(kind) ?? {
      perParty: partyId !== undefined,
      accounts: [],
      debit: new Decimal(0),
      credit: new Decimal(0),
      balance: new Decimal(0),
    };
    group.accounts.push(account);
    group.debit = group.debit.plus(account.debit);
    group.credit = group.credit.plus(account.credit);
    group.balance = group.balance.plus(account.balance);
    groups.set(kind, group);
  }
  return [...groups.entries()].map(([kind, group]) => ({
    kind,
    perParty: group.perParty,
    accounts: group.accounts,
    debit: group.debit.toFixed(),
    credit: group.credit.toFixed(),
    balance: group.balance.toFixed(),
  }));
}

/** Party accounts shown at once; a book of 10,000 advertisers pages through them (and looks up only those names). */
const partyRowsPerPage = 50;
/** Groups this small open by themselves. */
const openGroupMax = 10;

interface Selection {
  selected: string | undefined;
  onSelect: (account: string) => void;
}

function CurrencyBalance(
  props: { currency: string; inBase: boolean; accounts: AccountBalance[]; debit: string; credit: string } & Selection,
) {
  const { currency, accounts, debit, credit } = props;
  const balanced = new Decimal(debit).equals(credit);
  return (
    <section className="card" aria-label={`Trial balance in ${currency}`} style={{ padding: 0 }}>
      <h2 style={{ margin: '0.75rem 1rem' }}>
        {currency} {props.inBase && <span className="muted small">base currency</span>}{' '}
        <span className={`badge ${balanced ? 'ok' : 'bad'}`}>{balanced ? 'balanced' : 'out of balance'}</span>
      </h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Account</th>
              <th className="number" style={{ width: '11rem' }}>
                Debit
              </th>
              <th className="number" style={{ width: '11rem' }}>
                Credit
              </th>
              <th className="number" style={{ width: '11rem' }}>
                Balance
              </th>
              <th style={{ width: '6rem' }}>
                <span className="sr-only">Entries</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {groupAccounts(accounts).map((group) =>
              group.perParty ? (
                <PartyGroup key={group.kind} group={group} currency={currency} selected={props.selected} onSelect={props.onSelect} />
              ) : (
                group.accounts.map((account) => (
                  <AccountRow
                    key={account.account}
                    account={account}
                    currency={currency}
                    selected={props.selected}
                    onSelect={props.onSelect}
                  />
                ))
              ),
            )}
          </tbody>
          <tfoot>
            <tr>
              <td>Totals</td>
              <MoneyCell amount={debit} currency={currency} />
              <MoneyCell amount={credit} currency={currency} />
              <td />
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

function Amounts({ debit, credit, balance, currency }: { debit: string; credit: string; balance: string; currency: string }) {
  return (
    <>
      <MoneyCell amount={debit} currency={currency} />
      <MoneyCell amount={credit} currency={currency} />
      <MoneyCell amount={balance} currency={currency} />
    </>
  );
}

function AccountRow({
  account,
  currency,
  selected,
  onSelect,
  indent = false,
}: { account: AccountBalance; currency: string; indent?: boolean } & Selection) {
  return (
    <tr className={selected === account.account ? 'selected' : undefined}>
      <td style={indent ? { paddingLeft: '1.75rem' } : undefined}>
        <AccountName account={account.account} />
        <div className="mono small muted">{account.account}</div>
      </td>
      <Amounts debit={account.debit} credit={account.credit} balance={account.balance} currency={currency} />
      <td>
        <Button size="small" variant="link" onClick={() => onSelect(account.account)} aria-label={`Entries of ${account.account}`}>
          entries
        </Button>
      </td>
    </tr>
  );
}

/** One row for all parties' accounts of a kind, opening onto the parties a page at a time. */
function PartyGroup({ group, currency, selected, onSelect }: { group: AccountGroup; currency: string } & Selection) {
  const [open, setOpen] = useState(group.accounts.length <= openGroupMax);
  const [page, setPage] = useState(0);
  const pages = Math.ceil(group.accounts.length / partyRowsPerPage);
  const label = humanize(group.kind);
  const shown = group.accounts.slice(page * partyRowsPerPage, (page + 1) * partyRowsPerPage);
  return (
    <>
      <tr>
        <td>
          <strong>{`${label.charAt(0).toUpperCase()}${label.slice(1)}`}</strong>{' '}
          <span className="muted small">
            ({group.accounts.length} {group.accounts.length === 1 ? 'party' : 'parties'})
          </span>
        </td>
        <Amounts debit={group.debit} credit={group.credit} balance={group.balance} currency={currency} />
        <td>
          <Button
            size="small"
            variant="link"
            onClick={() => setOpen(!open)}
            aria-expanded={open}
            aria-label={`${open ? 'Hide' : 'Show'} the parties' ${label} accounts`}
          >
            {open ? 'hide' : 'parties'}
          </Button>
        </td>
      </tr>
      {open &&
        shown.map((account) => (
          <AccountRow key={account.account} account={account} currency={currency} selected={selected} onSelect={onSelect} indent />
        ))}
      {open && pages > 1 && (
        <tr>
          <td colSpan={5}>
            <div className="pager" style={{ justifyContent: 'flex-start' }}>
              <Button size="small" onClick={() => setPage(page - 1)} disabled={page === 0}>
                ← Previous
              </Button>
              <span className="muted small">
                Parties {page * partyRowsPerPage + 1}–{page * partyRowsPerPage + shown.length} of {group.accounts.length}
              </span>
              <Button size="small" onClick={() => setPage(page + 1)} disabled={page >= pages - 1}>
                Next →
              </Button>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
