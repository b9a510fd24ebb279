/**
 * The editor of a rate card version's content: its effective date, its entries (product, model,
 * list and floor rate) and its premiums (dimension, value, a percent or an amount). Errors show at
 * their fields, from the API's own schema as you type and from the server's answer.
 */
import { Field } from '../../common/ui/Field.tsx';
import { cardModels } from '../../../../src/wire/rate-cards.ts';
import { productPageMax, useListProductsQuery } from '../products/products-api.ts';
import { type CardContentForm, emptyEntry, type EntryForm } from './card-content-form.ts';
import { type Editor, ListFooter, RemoveRow, row, TextCell } from './card-editor-cells.tsx';
import { PremiumsEditor } from './PremiumsEditor.tsx';
import { cardModelUnits } from './rate-cards-api.ts';

export function CardContentEditor({ editor }: { editor: Editor }) {
  const { form, edit, errors } = editor;
  return (
    <>
      <fieldset>
        <legend>In force</legend>
        <div className="form-grid">
          <Field
            label="Effective from"
            error={errors.errorAt('effectiveFrom')}
            hint="Once approved, lines of contract versions effective from this date are priced by it."
          >
            <input
              type="date"
              value={form.effectiveFrom}
              onChange={(event) => {
                const value = event.target.value;
                edit('effectiveFrom', (draft) => {
                  draft.effectiveFrom = value;
                });
              }}
            />
          </Field>
        </div>
      </fieldset>
      <EntriesEditor editor={editor} />
      <PremiumsEditor editor={editor} />
    </>
  );
}

function EntriesEditor({ editor }: { editor: Editor }) {
  const { form, edit, errors } = editor;
  return (
    <fieldset>
      <legend>Entries</legend>
      <p className="hint">
        The list rate of each product and model: per 1,000 impressions (cpm), per completed view (cpcv) or per click (cpc). A line may not
        be sold below the floor rate.
      </p>
      <div className="table-wrap">
        <table className="table">
          <tbody>
            {form.entries.map((entry, index) => (
              <tr key={index}>
                <td>
                  <ProductField editor={editor} index={index} entry={entry} />
                </td>
                <td>
                  <Field label={`Entry ${index + 1} model`} error={errors.errorAt(`entries[${index}].model`)}>
                    <select
                      value={entry.model}
                      onChange={(event) => {
                        const model = event.target.value as EntryForm['model'];
                        edit(`entries[${index}].model`, (draft) => {
                          row(draft.entries, index).model = model;
                        });
                      }}
                    >
                      {cardModels.map((model) => (
                        <option key={model} value={model}>
                          {model} ({cardModelUnits[model]})
                        </option>
                      ))}
                    </select>
                  </Field>
                </td>
                <td>
                  <TextCell
                    editor={editor}
                    path={`entries[${index}].listRate`}
                    label={`Entry ${index + 1} list rate`}
                    value={entry.listRate}
                    inputMode="decimal"
                    placeholder="40.00"
                    set={(draft, value) => {
                      row(draft.entries, index).listRate = value;
                    }}
                  />
                </td>
                <td>
                  <TextCell
                    editor={editor}
                    path={`entries[${index}].floorRate`}
                    label={`Entry ${index + 1} floor rate`}
                    value={entry.floorRate}
                    inputMode="decimal"
                    placeholder="none"
                    set={(draft, value) => {
                      row(draft.entries, index).floorRate = value;
                    }}
                  />
                </td>
                <RemoveRow editor={editor} list="entries" noun="entry" index={index} disabled={form.entries.length === 1} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListFooter
        editor={editor}
        list="entries"
        noun="entry"
        add={(draft) => {
          draft.entries.push(emptyEntry());
        }}
      />
    </fieldset>
  );
}

/** The product of an entry: a choice from the catalog, or typed when the catalog is longer than one page. */
function ProductField({ editor, index, entry }: { editor: Editor; index: number; entry: EntryForm }) {
  const { data: page } = useListProductsQuery({ limit: productPageMax });
  const path = `entries[${index}].product`;
  const label = `Entry ${index + 1} product`;
  const set = (draft: CardContentForm, value: string) => {
    row(draft.entries, index).product = value;
  };
  if (!page || page.nextCursor !== null) {
    return <TextCell editor={editor} path={path} label={label} value={entry.product} set={set} />;
  }
  const known = page.data.some((product) => product.key === entry.product);
  return (
    <Field label={label} error={editor.errors.errorAt(path)}>
      <select
        value={entry.product}
        data-path={path}
        onChange={(event) => {
          const value = event.target.value;
          editor.edit(path, (draft) => set(draft, value));
        }}
      >
        <option value="">Choose a product</option>
        {!known && entry.product !== '' && <option value={entry.product}>{entry.product} (not in the catalog)</option>}
        {page.data.map((product) => (
          <option key={product.id} value={product.key}>
            {product.name} ({product.key})
          </option>
        ))}
      </select>
    </Field>
  );
}
