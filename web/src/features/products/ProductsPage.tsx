/** The product catalog: what rate cards price and line items sell; ops and admins add products here. */
import { useState, type FormEvent } from 'react';
import { useCan } from '../../app/hooks.ts';
import { formatDate } from '../../common/format.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { usePagedList } from '../../common/use-paged-list.ts';
import { createProductSchema } from '../../../../src/wire/rate-cards.ts';
import { PersonName } from '../people/PersonName.tsx';
import { schemaErrors, useFieldErrors } from '../../common/form-errors.ts';
import { type CreateProductInput, type Product, useCreateProductMutation, useListProductsQuery } from './products-api.ts';

const columns: Column<Product>[] = [
  { header: 'Key', cell: (product) => product.key, className: 'mono' },
  { header: 'Name', cell: (product) => product.name },
  { header: 'Description', cell: (product) => product.description ?? <span className="muted">—</span>, className: 'small' },
  { header: 'Added by', cell: (product) => <PersonName id={product.createdBy} />, className: 'small' },
  { header: 'Added', cell: (product) => formatDate(product.createdAt.slice(0, 10)), className: 'small' },
];

export default function ProductsPage() {
  const canWrite = useCan('contracts.write');
  const products = usePagedList(useListProductsQuery, {});
  return (
    <>
      <PageHeader
        title="Products"
        subtitle="What rate cards price and line items sell. A product's key is stable: cards and contracts name it."
      />
      {canWrite && <NewProductForm />}
      <PagedTable
        list={products}
        columns={columns}
        label="Products"
        emptyTitle="No products yet"
        emptyHint={canWrite ? 'Add the first one above.' : 'Ops or an admin adds them.'}
      />
    </>
  );
}

const emptyForm = { key: '', name: '', description: '' };

/** The body the API takes: a description only when one is written. */
function inputOf(form: typeof emptyForm): CreateProductInput {
  const description = form.description.trim();
  return { key: form.key.trim(), name: form.name.trim(), ...(description === '' ? {} : { description }) };
}

function NewProductForm() {
  const [form, setForm] = useState(emptyForm);
  const [added, setAdded] = useState<Product | undefined>();
  const [createProduct, state] = useCreateProductMutation();
  const input = inputOf(form);
  const local = schemaErrors(createProductSchema, input);
  const errors = useFieldErrors(local);
  const problem = toProblem(state.error);

  const set = (field: keyof typeof emptyForm) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }));
    errors.touch(field);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setAdded(undefined);
    if (!errors.readyToSubmit()) return;
    const result = await createProduct(input);
    if (result.data) {
      setAdded(result.data);
      setForm(emptyForm);
      errors.reset();
      return;
    }
    errors.showRefusal(result.error);
  };

  return (
    <form className="card" aria-label="New product" onSubmit={onSubmit} noValidate style={{ marginBottom: '1rem' }}>
      <h2 style={{ marginTop: 0 }}>New product</h2>
      <ProblemAlert problem={problem} showFieldErrors={false} />
      {added && (
        <div className="alert ok" role="status">
          Product <span className="mono">{added.key}</span> added.
        </div>
      )}
      <div className="form-grid">
        <Field label="Key" error={errors.errorAt('key')} hint="Lower-case letters, digits and dashes; it never changes.">
          <input value={form.key} onChange={(event) => set('key')(event.target.value)} maxLength={64} placeholder="ctv-prime-30" />
        </Field>
        <Field label="Name" error={errors.errorAt('name')}>
          <input value={form.name} onChange={(event) => set('name')(event.target.value)} maxLength={200} />
        </Field>
        <Field label="Description (optional)" error={errors.errorAt('description')} className="wide">
          <input value={form.description} onChange={(event) => set('description')(event.target.value)} maxLength={2000} />
        </Field>
      </div>
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Button type="submit" variant="primary" busy={state.isLoading}>
          Add product
        </Button>
      </div>
    </form>
  );
}
