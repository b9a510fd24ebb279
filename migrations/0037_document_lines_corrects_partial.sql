-- Only adjustment lines correct a document; every other line has no corrects_document_id, and a
-- billing run writes tens of thousands of those into an index that is only ever asked for the
-- lines that correct a given document (the deleted-documents check of 0033 and 0035, by equality,
-- which the planner proves implies "is not null"). The index keeps the lines that correct one.
drop index document_lines_corrects;
create index document_lines_corrects on document_lines (corrects_document_id) where corrects_document_id is not null;
