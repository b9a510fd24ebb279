/** The audit log: every entry, or one object's, and whether the hash chain verifies. */
import { useState } from 'react';
import { Field } from '../../common/ui/Field.tsx';
import { ChoiceFilter } from '../../common/ui/filters.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { useDebounced } from '../../common/ui/use-debounced.ts';
import { AuditTrail } from './AuditTrail.tsx';

const entityTypes = ['contract', 'party', 'user', 'delivery_batch', 'settings'];

export default function AuditPage() {
  const [entityType, setEntityType] = useState('');
  const [entityId, setEntityId] = useState('');
  const id = useDebounced(entityId.trim());
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every change, who made it and when, in a tamper-evident hash chain." />
      <div className="toolbar">
        <ChoiceFilter label="Object type" value={entityType} onChange={setEntityType} choices={entityTypes} anyLabel="Any" />
        <Field label="Object id">
          <input value={entityId} onChange={(event) => setEntityId(event.target.value)} placeholder="ctr_…, pty_…, usr_…" />
        </Field>
      </div>
      <AuditTrail entityType={entityType || undefined} entityId={id || undefined} />
    </>
  );
}
