/** Form controls bound to the terms editor: each names its terms path, which keys its error. */
import type { ReactNode } from 'react';
import { Button } from '../../../common/ui/Button.tsx';
import { Field } from '../../../common/ui/Field.tsx';
import type { LineItemForm, TermsForm } from './terms-form.ts';
import { listEdit, useEditor } from './use-terms-editor.ts';

type Setter<T> = (draft: TermsForm, value: T) => void;

interface BoundProps<T> {
  path: string;
  label: ReactNode;
  value: T;
  set: Setter<T>;
  hint?: ReactNode;
  className?: string;
  /** Show errors at this path and below it (list fields). */
  includeNested?: boolean;
}

function useErrorAt(path: string, includeNested = false): string | undefined {
  const editor = useEditor();
  return includeNested ? editor.errorsUnder(path)[0] : editor.errorAt(path);
}

export function TextAt({
  path,
  label,
  value,
  set,
  hint,
  className,
  includeNested,
  inputMode,
  type = 'text',
  placeholder,
}: BoundProps<string> & { inputMode?: 'decimal' | 'numeric' | 'text'; type?: 'text' | 'date'; placeholder?: string }) {
  const editor = useEditor();
  return (
    <Field label={label} error={useErrorAt(path, includeNested)} hint={hint} className={className}>
      <input
        type={type}
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

/** A decimal amount or rate: typed as text and kept as the decimal string typed (money is never a float). */
export function DecimalAt(props: BoundProps<string> & { placeholder?: string }) {
  return <TextAt inputMode="decimal" {...props} />;
}

export function WholeAt(props: BoundProps<string> & { placeholder?: string }) {
  return <TextAt inputMode="numeric" {...props} />;
}

export function DateAt(props: BoundProps<string>) {
  return <TextAt type="date" {...props} />;
}

export function SelectAt<T extends string>({
  path,
  label,
  value,
  set,
  hint,
  className,
  options,
}: BoundProps<T> & { options: { value: T; label: string }[] }) {
  const editor = useEditor();
  return (
    <Field label={label} error={useErrorAt(path)} hint={hint} className={className}>
      <select
        value={value}
        data-path={path}
        onChange={(event) => {
          const next = event.target.value as T;
          editor.edit(path, (draft) => set(draft, next));
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function CheckboxAt({ path, label, value, set, hint }: BoundProps<boolean>) {
  const editor = useEditor();
  const error = useErrorAt(path);
  return (
    <div className="field">
      <span className="label">&nbsp;</span>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value}
          data-path={path}
          onChange={(event) => editor.edit(path, (draft) => set(draft, event.target.checked))}
        />
        {label}
      </label>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
      {hint && <span className="hint">{hint}</span>}
    </div>
  );
}

/** The line item at `index` of a draft; the editor only renders indexes that exist. */
export function lineItemOf(draft: TermsForm, index: number): LineItemForm {
  const lineItem = draft.lineItems[index];
  if (!lineItem) throw new Error(`no line item ${index}`);
  return lineItem;
}

/** The element at `index` of a list in a draft. */
export function at<T>(items: T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

/** Under a list: its error as a whole (too few items, payouts that pay nobody), and the button that adds an item. */
export function ListFoot({ path, noun, add }: { path: string; noun: string; add: (draft: TermsForm) => void }) {
  const editor = useEditor();
  const error = editor.errorAt(path);
  return (
    <>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
      <Button size="small" onClick={() => editor.edit(listEdit(path), add)}>
        Add {noun}
      </Button>
    </>
  );
}

/** The button that removes item `index` of the list at `path`; like adding one, it marks nothing touched. */
export function RemoveItem({
  path,
  listOf,
  index,
  disabled,
  label,
  children = 'Remove',
}: {
  path: string;
  listOf: (draft: TermsForm) => unknown[];
  index: number;
  disabled?: boolean;
  /** The button's accessible name, when its text alone ("Remove") does not say which item. */
  label?: string;
  children?: ReactNode;
}) {
  const editor = useEditor();
  return (
    <Button
      size="small"
      variant="danger"
      disabled={disabled}
      aria-label={label}
      onClick={() =>
        editor.edit(listEdit(path), (draft) => {
          listOf(draft).splice(index, 1);
        })
      }
    >
      {children}
    </Button>
  );
}
