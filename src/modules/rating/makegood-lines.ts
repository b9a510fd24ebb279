/**
 * Makegood lines (SPEC §8): a line item with `makegoodFor` delivers at no charge what another line
 * under-delivered. Its pricing is zero (the terms refuse anything else), so it rates as any line of
 * its model and comes to 0.00; its charge line says which line it makes good, so that the invoice
 * shows the delivery and why it costs nothing.
 */
import type { LineItem } from '../../wire/terms.ts';
import type { Explain } from '../../wire/charges.ts';

export interface MakegoodNote {
  /** Appended to the line's description. */
  description: string;
  /** Added to the line's explain under `makegood`. */
  explain: Explain;
}

/** The note a makegood line's charge line carries, or undefined for any other line item. */
export function makegoodNote(lineItem: LineItem | undefined): MakegoodNote | undefined {
  if (lineItem?.makegoodFor === undefined) return undefined;
  return {
    description: ` (makegood ${lineItem.key} for ${lineItem.makegoodFor}, at no charge)`,
    explain: {
      lineItem: lineItem.key,
      makegoodFor: lineItem.makegoodFor,
      goal: lineItem.goal === undefined ? null : { metric: lineItem.goal.metric, quantity: lineItem.goal.quantity },
      rule: 'makegood lines are priced at zero; their delivery counts toward the goal of the line they make good',
    },
  };
}
