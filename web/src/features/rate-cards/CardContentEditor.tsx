/**
 * The editor of a rate card version's content: its effective date, its entries (product, model,
 * list and floor rate) and its premiums (dimension, value, a percent or an amount). Errors show at
 * their fields, from the API's own schema as you type and from the server's answer.
 */
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { cardModels } from '../../../../src/wire/rate-cards.ts';
import { productPageMax, useListProductsQuery } from '../products/products-api.ts';
import { type CardContentForm, emptyEntry, emptyPremium, type EntryForm, type PremiumForm } from './card-content-form.ts';
import { cardModelUnits } from './rate-cards-api.ts';
import type { CardContentEditorState } from './use-card-content.ts';

type Editor = CardContentEditorState<CardContentForm>;

/** The row at `index` of a draft's list; the editor renders only rows that exist. */
function row<T>(items: T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no row ${index}`);
  return item;
}

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

/** A text input bound to a path of the form. */
function TextCell({
  editor,
  path,
  label,
  value,
  set,
  placeholder,
  inputMode,
}: {
  editor: Editor;
  path: string;
  label: string;
  value: string;
  set: (draft: CardContentForm, value: string) => void;
  placeholder?: string;
  inputMode?: 'decimal';
}) {
  return (
    <Field label={label} error={editor.errors.errorAt(path)}>
      <input
        value={value}
        inputMode={inputMode}
        placeholder={placeholder}
        data-path={path}
        onChange={(event) => {
          const next = event.target.value;
          editor.edit(path, (draft) => set(draft, next));
        }}
      />
    </Field>
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
                <td style={{ verticalAlign: 'bottom' }}>
                  <Button
                    size="small"
                    variant="danger"
                    disabled={form.entries.length === 1}
                    aria-label={`Remove entry ${index + 1}`}
                    onClick={() =>
                      edit('entries#items', (draft) => {
                        draft.entries.splice(index, 1);
                      })
                    }
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {errors.errorAt('entries') && (
        <p className="error" role="alert">
          {errors.errorAt('entries')}
        </p>
      )}
      <Button
        size="small"
        onClick={() =>
          edit('entries#items', (draft) => {
            draft.entries.push(emptyEntry());
          })
        }
      >
        Add entry
      </Button>
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

function PremiumsEditor({ editor }: { editor: Editor }) {
  const { form, edit, errors } = editor;
  return (
    <fieldset>
      <legend>Premiums</legend>
      <p className="hint">
        A line adds premiums by their key, <span className="mono">dimension:value</span>: percents add up on the list rate, then amounts are
        added.
      </p>
      {form.premiums.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <tbody>
              {form.premiums.map((premium, index) => (
                <tr key={index}>
                  <td>
                    <TextCell
                      editor={editor}
                      path={`premiums[${index}].dimension`}
                      label={`Premium ${index + 1} dimension`}
                      value={premium.dimension}
                      placeholder="geo"
                      set={(draft, value) => {
                        row(draft.premiums, index).dimension = value;
                      }}
                    />
                  </td>
                  <td>
                    <TextCell
                      editor={editor}
                      path={`premiums[${index}].value`}
                      label={`Premium ${index + 1} value`}
                      value={premium.value}
                      placeholder="dma"
                      set={(draft, value) => {
                        row(draft.premiums, index).value = value;
                      }}
                    />
                  </td>
                  <td>
                    <Field label={`Premium ${index + 1} kind`}>
                      <select
                        value={premium.basis}
                        onChange={(event) => {
                          const basis = event.target.value as PremiumForm['basis'];
                          edit(`premiums[${index}].${basis}`, (draft) => {
                            row(draft.premiums, index).basis = basis;
                          });
                        }}
                      >
                        <option value="percent">percent of the list rate</option>
                        <option value="amount">amount per unit</option>
                      </select>
                    </Field>
                  </td>
                  <td>
                    <TextCell
                      editor={editor}
                      path={`premiums[${index}].${premium.basis}`}
                      label={premium.basis === 'percent' ? `Premium ${index + 1} percent` : `Premium ${index + 1} amount`}
                      value={premium.figure}
                      inputMode="decimal"
                      placeholder={premium.basis === 'percent' ? '20' : '2.00'}
                      set={(draft, value) => {
                        row(draft.premiums, index).figure = value;
                      }}
                    />
                  </td>
                  <td style={{ verticalAlign: 'bottom' }}>
                    <Button
                      size="small"
                      variant="danger"
                      aria-label={`Remove premium ${index + 1}`}
                      onClick={() =>
                        edit('premiums#items', (draft) => {
                          draft.premiums.splice(index, 1);
                        })
                      }
                    >
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {errors.errorAt('premiums') && (
        <p className="error" role="alert">
          {errors.errorAt('premiums')}
        </p>
      )}
      <Button
        size="small"
        onClick={() =>
          edit('premiums#items', (draft) => {
            draft.premiums.push(emptyPremium());
          })
        }
      >
        Add premium
      </Button>
    </fieldset>
  );
}
