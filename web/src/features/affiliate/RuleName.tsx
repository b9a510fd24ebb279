/** A scrub rule by its id. */
export function RuleName({ id }: { id: string }) {
  return <span className="mono">{id}</span>;
}
