/** The cells of the card content editor's tables: a bound text input, a row's remove button, a list's footer. */
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import type { CardContentForm } from './card-content-form.ts';
import type { CardContentEditorState } from './use-card-content.ts';

export type Editor = CardContentEditorState<CardContentForm>;

/** The row at `index` of a draft's list; the editor renders only rows that exist. */
export function row<T>(items: T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no row ${index}`);
  return item;
}

/** A text input bound to a path of the form. */
export function TextCell({
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

/** The cell with the button that removes row `index` of a list. */
export function RemoveRow({
  editor,
  list,
  noun,
  index,
  disabled = false,
}: {
  editor: Editor;
  list: 'entries' | 'premiums';
  noun: string;
  index: number;
  disabled?: boolean;
}) {
  return (
    <td style={{ verticalAlign: 'bottom' }}>
      <Button
        size="small"
        variant="danger"
        disabled={disabled}
        aria-label={`Remove ${noun} ${index + 1}`}
        onClick={() =>
          editor.edit(`${list}#items`, (draft) => {
            draft[list].splice(index, 1);
          })
        }
      >
        Remove
      </Button>
    </td>
  );
}

/** Under a list: the error of the list as a whole (too few or too many rows), and the button that adds a row. */
export function ListFooter({
  editor,
  list,
  noun,
  add,
}: {
  editor: Editor;
  list: 'entries' | 'premiums';
  noun: string;
  add: (draft: CardContentForm) => void;
}) {
  const error = editor.errors.errorAt(list);
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <Button size="small" onClick={() => editor.edit(`${list}#items`, add)}>
        Add {noun}
      </Button>
    </>
  );
}
