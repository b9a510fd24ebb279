/** The premiums of a rate card version's content: dimension, value, and a percent of the list rate or an amount. */
import { Field } from '../../common/ui/Field.tsx';
import { emptyPremium, type PremiumForm } from './card-content-form.ts';
import { type Editor, ListFooter, RemoveRow, row, TextCell } from './card-editor-cells.tsx';

export function PremiumsEditor({ editor }: { editor: Editor }) {
  const { form, edit } = editor;
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
                  <RemoveRow editor={editor} list="premiums" noun="premium" index={index} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ListFooter
        editor={editor}
        list="premiums"
        noun="premium"
        add={(draft) => {
          draft.premiums.push(emptyPremium());
        }}
      />
    </fieldset>
  );
}
