/** After a submit attempt, every problem of a card form in one list: also those of rows scrolled away. */
import type { FieldErrors } from '../../common/form-errors.ts';

export function ErrorSummary({ errors }: { errors: FieldErrors }) {
  if (!errors.revealed || errors.shown.length === 0) return null;
  return (
    <div className="alert error error-summary" role="alert" aria-live="polite">
      <strong>{errors.shown.length === 1 ? 'One problem' : `${errors.shown.length} problems`} in the rate card</strong>
      <ul>
        {errors.shown.slice(0, 30).map(({ path, message }) => (
          <li key={path}>
            <code>{path || 'rate card'}</code>: {message}
          </li>
        ))}
      </ul>
    </div>
  );
}
