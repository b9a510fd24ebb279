-- 1. One rule for a document's status. The stored status says draft, needs_review or finalized;
-- what the API shows of a finalized document (finalized, partially_paid, paid, void) follows from
-- the payments, credit notes and voids recorded against it. Lists filtered by status and the read
-- of one document both go through this view, so they cannot disagree.
create view document_states as
select d.id,
  s.paid as amount_paid,
  s.credited as amount_credited,
  s.voided,
  case
    when s.voided then 'void'
    when d.status <> 'finalized' then d.status
    when s.paid + s.credited = 0 then 'finalized'
    when s.paid + s.credited >= d.total then 'paid'
    else 'partially_paid'
  end as status
from billing_documents d
cross join lateral (
  select
    coalesce((select sum(p.amount) from payments p where p.document_id = d.id), 0) as paid,
    coalesce((select sum(n.amount) from credit_notes n where n.invoice_id = d.id), 0) as credited,
    exists (select 1 from document_voids v where v.document_id = d.id) as voided
) s;

-- 2. A finalized document keeps who it was issued to and by, as they were at finalization (SPEC §5:
-- finalized documents never change). Drafts follow the party and the issuer setting; finalizing
-- copies both onto the document, where the append-only trigger keeps them.
alter table billing_documents add column bill_to jsonb, add column issuer jsonb;

-- Documents finalized before this migration get the party and issuer as they are now: the closest
-- record there is of what they were. The append-only trigger is lifted for this one statement.
alter table billing_documents disable trigger billing_documents_append_only;
update billing_documents d
set bill_to = jsonb_build_object('id', p.id, 'name', p.name, 'kind', p.kind, 'billingEmail', p.billing_email, 'externalRef', p.external_ref),
  issuer = coalesce(
    (select value from settings where key = 'issuer'),
    -- The default issuer of src/modules/billing/documents/issuer.ts, for a store that never set one.
    jsonb_build_object(
      'name', 'Tally Demo Media, Inc.',
      'addressLines', jsonb_build_array('100 Example Street', 'New York, NY 10001', 'United States'),
      'email', 'billing@example.com',
      'taxId', null,
      'paymentInstructions', 'Pay by bank transfer quoting the invoice number.'
    )
  )
from parties p
where p.id = d.party_id and d.status = 'finalized';
alter table billing_documents enable trigger billing_documents_append_only;

alter table billing_documents add constraint billing_documents_snapshot_when_finalized
  check ((status = 'finalized') = (bill_to is not null and issuer is not null));
