-- The approved versions that pay partners (`partnerPayouts`, SPEC §9), by contract: every partition
-- of a billing run asks which sell contracts are such offers (listApprovedOffers), and without an
-- index that reads every approved version's terms. A 10,000-contract book took 26 ms a partition,
-- a 100,000-contract one ten times that, and a run of such a book has a hundred partitions or more
-- (issue 17: scale figures); with the index it is a lookup of the few offers there are.
create index contract_versions_offers on contract_versions (contract_id)
  where status = 'approved' and (terms -> 'partnerPayouts') is not null;
