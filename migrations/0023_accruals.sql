-- Month-end accruals (SPEC §10): revenue delivered but not yet invoiced and partner cost not yet on
-- a payout statement, posted on a period's last day and reversed on the next period's first. One run
-- per period, never changed: the period is the key, so a second run of the same period is refused
-- by the database too. `contracts` keeps what each contract's accrual was worked out from (rated,
-- billed, accrued), as the run saw it.

create table accrual_runs (
  period      text primary key check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  accrued_on  date not null,
  reversed_on date not null check (reversed_on = accrued_on + 1),
  posted_at   timestamptz not null,
  posted_by   text not null,
  contracts   jsonb not null check (jsonb_typeof(contracts) = 'array')
);

create trigger accrual_runs_append_only before update or delete on accrual_runs
  for each row execute function tally_refuse_change();
create trigger accrual_runs_no_truncate before truncate on accrual_runs
  for each statement execute function tally_refuse_change();

-- An accrual and its reversal post to the ledger too.
alter table ledger_transactions drop constraint ledger_transactions_source_type_check;
alter table ledger_transactions add constraint ledger_transactions_source_type_check
  check (source_type in ('invoice', 'credit_note', 'payment', 'void', 'payout_statement', 'payout_payment', 'credit_grant',
    'credit_expiry', 'accrual', 'accrual_reversal'));
