/**
 * Which lines have a goal as of a date, and which delivery counts toward each (SPEC §8). Pure: the
 * terms in, the date ranges to count out; the counts come from the delivery module.
 *
 * A line's goal is read from the approved version in force on the date (effective dating, as rating
 * does). What counts toward it is the line's own delivery over its flight through the date, plus
 * that of every line that makes it good (`makegoodFor`) over the makegood's own dates through the
 * date, whichever approved version added the makegood.
 */
import { daysInRange } from '../../platform/periods.ts';
import type { ApprovedContract, ApprovedVersion } from '../contracts/index.ts';
import { sortVersions } from '../rating/index.ts';
import type { Goal } from '../../wire/goals.ts';
import type { LineItem, Terms } from '../../wire/terms.ts';

/** A line item's dates: its own, else the contract's. */
export interface Flight {
  from: string;
  to: string;
}

/** A line with a goal, as of a date: the goal, its flight, and the date ranges of delivery that count toward it. */
export interface GoalLine {
  contractId: string;
  lineItem: string;
  goal: Goal;
  flight: Flight;
  /** The flight's days through the date (0 before it starts, all of them after it ends). */
  elapsedDays: number;
  flightDays: number;
  /** The line's and its makegoods' delivery to count, each range ending by the date; empty ranges are left out. */
  counted: { contractId: string; lineItem: string; from: string; to: string }[];
}

/** The approved version in force on `date`: the latest effectiveFrom on or before it, the higher number on a tie (as rating has it). */
export function versionInForce(versions: readonly ApprovedVersion[], date: string): ApprovedVersion | undefined {
  return sortVersions(versions)
    .filter((version) => version.effectiveFrom <= date)
    .at(-1);
}

/** A line item's flight under its terms. */
export function flightOf(terms: Terms, lineItem: LineItem): Flight {
  return { from: lineItem.startDate ?? terms.startDate, to: lineItem.endDate ?? terms.endDate };
}

/** Every makegood line of the contract's approved versions, by the key it makes good; a key's latest version wins. */
function makegoodFlights(contract: ApprovedContract): Map<string, Map<string, Flight>> {
  const byOriginal = new Map<string, Map<string, Flight>>();
  for (const version of contract.versions) {
    for (const lineItem of version.terms.lineItems) {
      if (lineItem.makegoodFor === undefined) continue;
      let flights = byOriginal.get(lineItem.makegoodFor);
      if (!flights) byOriginal.set(lineItem.makegoodFor, (flights = new Map()));
      flights.set(lineItem.key, flightOf(version.terms, lineItem));
    }
  }
  return byOriginal;
}

/** The contract's lines with a goal as of `asOf` (makegood lines count toward their original's, so are not listed). */
export function goalLinesOf(contract: ApprovedContract, asOf: string): GoalLine[] {
  const version = versionInForce(contract.versions, asOf);
  if (version === undefined) return [];
  const makegoods = makegoodFlights(contract);
  const lines: GoalLine[] = [];
  for (const lineItem of version.terms.lineItems) {
    if (lineItem.goal === undefined || lineItem.makegoodFor !== undefined) continue;
    const flight = flightOf(version.terms, lineItem);
    const throughAsOf = (range: Flight) => ({ from: range.from, to: range.to < asOf ? range.to : asOf });
    const counted = [
      { lineItem: lineItem.key, ...throughAsOf(flight) },
      ...[...(makegoods.get(lineItem.key) ?? [])].map(([key, makegood]) => ({ lineItem: key, ...throughAsOf(makegood) })),
    ]
      .filter((range) => range.from <= range.to)
      .map((range) => ({ contractId: contract.id, ...range }));
    lines.push({
      contractId: contract.id,
      lineItem: lineItem.key,
      goal: lineItem.goal,
      flight,
      elapsedDays: daysInRange(flight.from, throughAsOf(flight).to),
      flightDays: daysInRange(flight.from, flight.to),
      counted,
    });
  }
  return lines;
}
