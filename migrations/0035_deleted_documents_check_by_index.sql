-- The check that a deleted document has no lines left (0033) must look each deleted document up in
-- document_lines' indexes. Right after a billing run wrote its drafts, before (auto)analyze has
-- counted them, the planner believed document_lines empty and scanned it whole once per deleted
-- document: re-running a month of 10,000 drafts took 92 s on PostgreSQL and 292 s on PGlite (which
-- never analyses by itself) instead of about as long as the first run. Without sequential scans in
-- this function each document is an index probe, however many lines the table holds. (0007 did the
-- opposite for the lines' own check, which joins the statement's rows and wants a hash join.)
alter function tally_check_deleted_documents() set enable_seqscan = off;
