-- FX (SPEC §10): exchange rates with their source, and every ledger entry's amount in its billing
-- entity's base currency besides its document currency.
--
-- A rate says 1 `from_currency` = `rate` × `to_currency` from `date` on, until a later rate of the
-- same pair. A rate is never changed or deleted: entries were converted at it. A wrong rate is
-- corrected by a rate of a later date (see docs/finance/fx.md).

create table fx_rates (
  id            text primary key,
  date          date not null,
  from_currency char(3) not null check (from_currency ~ '^[A-Z]{3}$'),
  to_currency   char(3) not null check (to_currency ~ '^[A-Z]{3}$' and to_currency <> from_currency),
  rate          numeric not null check (rate > 0),
  source        text not null check (length(source) between 1 and 200),
  created_at    timestamptz not null,
  created_by    text not null,
  unique (from_currency, to_currency, date)
);

create trigger fx_rates_append_only before update or delete on fx_rates
  for each row execute function tally_refuse_change();
create trigger fx_rates_no_truncate before truncate on fx_rates
  for each statement execute function tally_refuse_change();

-- The base amounts. An entry in the entity's base currency has the same amount in base; an entry
-- in another currency has it at the rate of its transaction's date. Entries posted before this
-- migration in another currency have none (null): their rate was never recorded, and the trial
-- balance in base refuses to guess it. An entry may carry a base amount only (a realized or
-- unrealized FX difference: zero in the document currency).
alter table ledger_entries add column base_debit numeric check (base_debit >= 0);
alter table ledger_entries add column base_credit numeric check (base_credit >= 0);
alter table ledger_entries drop constraint ledger_entries_check;
alter table ledger_entries add constraint ledger_entries_one_side check (
  (debit = 0 or credit = 0)
  and (coalesce(base_debit, 0) = 0 or coalesce(base_credit, 0) = 0)
  and (debit <> 0 or credit <> 0 or coalesce(base_debit, 0) <> 0 or coalesce(base_credit, 0) <> 0)
);
-- Both base sides or neither.
alter table ledger_entries add constraint ledger_entries_base_both check ((base_debit is null) = (base_credit is null));

-- What the store holds already: entries in their entity's base currency are their own base.
alter table ledger_entries disable trigger ledger_entries_append_only;
update ledger_entries e set base_debit = e.debit, base_credit = e.credit
from ledger_transactions t join billing_entities b on b.id = t.billing_entity_id
where t.id = e.transaction_id and e.currency = b.base_currency;
alter table ledger_entries enable trigger ledger_entries_append_only;

-- A transaction balances in its currency and in base.
create or replace function tally_check_balanced() returns trigger language plpgsql as $$
declare
  unbalanced text;
begin
  select transaction_id into unbalanced from inserted_entries
    group by transaction_id, currency
    having sum(debit) <> sum(credit) or coalesce(sum(base_debit), 0) <> coalesce(sum(base_credit), 0)
    limit 1;
  if unbalanced is not null then
    raise exception 'unbalanced: ledger transaction % does not balance', unbalanced using errcode = 'P0001';
  end if;
  return null;
end;
$$;

-- The monthly sums carry the base sums too; null where an entry of the month has no base amount
-- (null + anything stays null, so the month stays marked).
alter table ledger_balances add column base_debit numeric;
alter table ledger_balances add column base_credit numeric;
update ledger_balances b set base_debit = s.base_debit, base_credit = s.base_credit
from (
  select t.billing_entity_id, e.account, e.currency, date_trunc('month', t.date)::date as month,
    sum(e.base_debit) as base_debit, sum(e.base_credit) as base_credit, bool_and(e.base_debit is not null) as complete
  from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
  group by 1, 2, 3, 4
) s
where s.complete and b.billing_entity_id = s.billing_entity_id and b.account = s.account and b.currency = s.currency and b.month = s.month;

create or replace function tally_roll_up_entries() returns trigger language plpgsql as $$
begin
  insert into ledger_balances (billing_entity_id, account, currency, month, debit, credit, base_debit, base_credit)
  select t.billing_entity_id, e.account, e.currency, date_trunc('month', t.date)::date, sum(e.debit), sum(e.credit),
    case when bool_and(e.base_debit is not null) then sum(e.base_debit) end,
    case when bool_and(e.base_credit is not null) then sum(e.base_credit) end
  from inserted_entries e join ledger_transactions t on t.id = e.transaction_id
  group by 1, 2, 3, 4
  on conflict (billing_entity_id, account, currency, month)
    do update set debit = ledger_balances.debit + excluded.debit, credit = ledger_balances.credit + excluded.credit,
      base_debit = ledger_balances.base_debit + excluded.base_debit, base_credit = ledger_balances.base_credit + excluded.base_credit;
  return null;
end;
$$;

-- Revaluations of open receivables, payables and credits at a month's end, and their reversals on
-- the next month's first day.
alter table ledger_transactions drop constraint ledger_transactions_source_type_check;
alter table ledger_transactions add constraint ledger_transactions_source_type_check
  check (source_type in ('invoice', 'credit_note', 'payment', 'void', 'payout_statement', 'payout_payment', 'credit_grant',
    'credit_expiry', 'accrual', 'accrual_reversal', 'fx_revaluation', 'fx_revaluation_reversal'));

-- An entity's books are kept in its base currency: once it has posted, the base currency stays
-- (the API answers 409 base_currency_in_use).
create function tally_keep_base_currency() returns trigger language plpgsql as $$
begin
  if new.base_currency <> old.base_currency and exists (select 1 from ledger_transactions where billing_entity_id = old.id) then
    raise exception 'base_currency_in_use: billing entity % has ledger postings in %', old.id, old.base_currency using errcode = 'P0001';
  end if;
  return new;
end;
$$;
create trigger billing_entities_keep_base_currency before update of base_currency on billing_entities
  for each row execute function tally_keep_base_currency();

-- A month is revalued once: what was revalued, and who posted it (the ledger holds the amounts).
create table fx_revaluation_runs (
  period      text primary key check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  revalued_on date not null,
  reversed_on date not null,
  posted_at   timestamptz not null,
  posted_by   text not null,
  accounts    jsonb not null
);
create trigger fx_revaluation_runs_append_only before update or delete on fx_revaluation_runs
  for each row execute function tally_refuse_change();
create trigger fx_revaluation_runs_no_truncate before truncate on fx_revaluation_runs
  for each statement execute function tally_refuse_change();
