/**
 * The trial balance as of a date: debits, credits and balance per account, per currency, with
 * each currency's totals and whether they balance (they always should: the ledger only takes
 * balanced postings). Choosing an account lists its entries. The books are one billing entity's or
 * all entities' together (SPEC §10).
 */
import { Decimal } from 'decimal.js';
import { useState } from 'react';
import { todayDate } from '../../common/dates.ts';
import { formatDate, humanize } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { CalendarFilter, ChoiceFilter } from '../../common/ui/filters.tsx';
import { MoneyCell } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ListStates } from '../../common/ui/PagedTable.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { EntityFilter, useEntityNames } from '../entities/EntityFilter.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { AccountEntries } from './AccountEntries.tsx';
import { type AccountBalance, useTrialBalanceQuery } from './billing-api.ts';

/** A ledger account in words; a party's receivable or payable names the party. */
export function AccountName({ account }: { account: string }) {
  const [kind, partyId] = account.split(':');
  const label = humanize(kind ?? account);
  const capitalized = `${label.charAt(0).toUpperCase()}${label.slice(1)}`;
  if (!partyId) return <span>{capitalized}</span>;
  return (
    <span>
      {capitalized}: <PartyName id={partyId} link={false} />
    </span>
  );
}

export default function TrialBalancePage() {
  const [asOf, setAsOf] = useState(todayDate);
  const [currency, setCurrency] = useState('');
  const [entityId, setEntityId] = useState('');
  const [selected, setSelected] = useState<string | undefined>();
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const entityNames = useEntityNames();
  // The balance of every currency also says which currencies there are to choose from.
  const all = useTrialBalanceQuery({ asOf, entityId }, { skip: !validDate });
  const filtered = useTrialBalanceQuery({ asOf, currency, entityId }, { skip: !validDate || currency === '' });
  const shown = currency === '' ? all : filtered;
  const currencies = all.data?.totalsByCurrency.map((total) => total.currency) ?? [];
  const entityName = entityId === '' ? undefined : (entityNames.get(entityId) ?? entityId);
  return (
    <>
      <PageHeader
        title="Trial balance"
        subtitle="Every ledger account's debits, credits and balance as of a date. Each currency balances on its own."
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
        <ChoiceFilter label="Currency" value={currency} onChange={setCurrency} choices={currencies} anyLabel="All currencies" />
      </div>
      {validDate && (
        <ListStates
          list={listOf(shown, shown.data?.accounts)}
          emptyTitle={`Nothing posted${entityName ? ` in the books of ${entityName}` : ''} by ${formatDate(asOf)}`}
          emptyHint="Finalized invoices, payments and payout statements post to the ledger."
        >
          {(accounts) =>
            shown.data?.totalsByCurrency.map((total) => (
              <CurrencyBalance
                key={total.currency}
                currency={total.currency}
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
      {selected && <AccountEntries account={selected} to={asOf} onClose={() => setSelected(undefined)} />}
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

function CurrencyBalance(props: { currency: string; accounts: AccountBalance[]; debit: string; credit: string } & Selection) {
  const { currency, accounts, debit, credit } = props;
  const balanced = new Decimal(debit).equals(credit);
  return (
    <section className="card" aria-label={`Trial balance in ${currency}`} style={{ padding: 0 }}>
      <h2 style={{ margin: '0.75rem 1rem' }}>
        {currency} <span className={`badge ${balanced ? 'ok' : 'bad'}`}>{balanced ? 'balanced' : 'out of balance'}</span>
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
