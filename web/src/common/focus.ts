/** Moves keyboard focus to the first field marked invalid, so that a refused form says where to look. */
export function focusFirstInvalidField(): void {
  // After React has rendered the errors that the submit attempt revealed.
  requestAnimationFrame(() => {
    const field = document.querySelector<HTMLElement>('[aria-invalid="true"]') ?? document.querySelector<HTMLElement>('.error-summary');
    field?.focus();
    field?.scrollIntoView?.({ block: 'center' });
  });
}
