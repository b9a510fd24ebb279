-- The statement-level check on document lines (0004) joins the statement's lines with
-- billing_documents. Right after a billing run, before (auto)analyze has counted the new drafts,
-- the planner believed billing_documents empty and chose a nested loop that scans it once per line:
-- replacing a month of 10,000 drafts took minutes on PostgreSQL, and on PGlite (which never
-- analyses by itself) every time. Without nested loops inside this function the join is a hash or
-- merge join, linear in the lines and the documents whatever the statistics say.
alter function tally_refuse_lines_of_finalized() set enable_nestloop = off;
