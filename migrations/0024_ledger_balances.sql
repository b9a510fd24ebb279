-- Ledger reports at scale (issue 16, item 8): the sums of the entries per billing entity, account,
-- currency and month, kept by the database as entries are inserted. The ledger is append-only, so
-- an insert is the only change these sums ever need. A trial balance as of a date then reads these
-- sums for the months before its own and only its own month's entries: about one twelfth of a
-- year's book instead of all of it.

create table ledger_balances (
  billing_entity_id text not null references billing_entities (id),
  account           text not null,
  currency          char(3) not null,
  month             date not null check (extract(day from month) = 1),
  debit             numeric not null,
  credit            numeric not null,
  primary key (billing_entity_id, account, currency, month)
);

-- Every statement that inserts entries (one per posting, however many transactions it holds) adds
-- them to their months' sums; the transactions were inserted before their entries.
create function tally_roll_up_entries() returns trigger language plpgsql as $$
begin
  insert into ledger_balances (billing_entity_id, account, currency, month, debit, credit)
  select t.billing_entity_id, e.account, e.currency, date_trunc('month', t.date)::date, sum(e.debit), sum(e.credit)
  from inserted_entries e join ledger_transactions t on t.id = e.transaction_id
  group by 1, 2, 3, 4
  on conflict (billing_entity_id, account, currency, month)
    do update set debit = ledger_balances.debit + excluded.debit, credit = ledger_balances.credit + excluded.credit;
  return null;
end;
$$;
create trigger ledger_entries_roll_up after insert on ledger_entries
  referencing new table as inserted_entries for each statement execute function tally_roll_up_entries();

-- What the store holds already.
insert into ledger_balances (billing_entity_id, account, currency, month, debit, credit)
select t.billing_entity_id, e.account, e.currency, date_trunc('month', t.date)::date, sum(e.debit), sum(e.credit)
from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
group by 1, 2, 3, 4;

-- Nobody but the trigger writes the sums.
create trigger ledger_balances_no_delete before delete on ledger_balances
  for each row execute function tally_refuse_change();
create trigger ledger_balances_no_truncate before truncate on ledger_balances
  for each statement execute function tally_refuse_change();
