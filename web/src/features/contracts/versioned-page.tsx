/**
 * The frame of a versioned document's page (a contract's, a rate card's): which version it shows and
 * which tab, both read from the address (`?tab=…&version=…`), and the links between its tabs, which
 * keep the version shown.
 */
import type { ReactNode } from 'react';
import { NavLink } from 'react-router';

interface VersionedDocument {
  versions: readonly { number: number }[];
  currentVersion: number | null;
}

/**
 * The version asked for in the address if the document has it; else the one being worked on (`open`),
 * else the latest approved, else the last. The tab asked for, else `defaultTab`.
 */
export function versionedPage<Tab extends string>(
  searchParams: URLSearchParams,
  document: VersionedDocument,
  open: number | undefined,
  defaultTab: Tab,
): { selected: number | undefined; tab: Tab; tabLink: (target: Tab, label: string) => ReactNode } {
  const requested = Number(searchParams.get('version'));
  const selected = document.versions.some((version) => version.number === requested)
    ? requested
    : (open ?? document.currentVersion ?? document.versions.at(-1)?.number);
  const tab = (searchParams.get('tab') as Tab | null) ?? defaultTab;
  const tabLink = (target: Tab, label: string) => (
    <NavLink
      to={`?tab=${target}${selected ? `&version=${selected}` : ''}`}
      className={() => (tab === target ? 'active' : '')}
      aria-current={tab === target ? 'page' : undefined}
    >
      {label}
    </NavLink>
  );
  return { selected, tab, tabLink };
}
