/**
 * The one table of every list screen: loading, error and empty states, the rows by their columns,
 * and the pager when the list is paged (use-paged-list.ts). `ListStates` is the first part alone,
 * for a screen whose rows are not one table (the trial balance); `DataTable` is the table alone, for
 * rows already at hand (a run's carried-forward balances).
 */
import type { ReactNode } from 'react';
import type { ListState } from '../use-paged-list.ts';
import { Pager } from './Pager.tsx';
import { EmptyState, ErrorState, Loading } from './states.tsx';

/** One column: its header, and what each row shows in it. */
export interface Column<Item> {
  header: ReactNode;
  cell: (item: Item) => ReactNode;
  /** Class of the column's cells; `number` right-aligns the header too. */
  className?: string;
  /** Leave the column out (the party column on a party's own page). */
  hidden?: boolean;
}

export interface ListStatesProps<Item> {
  list: ListState<Item>;
  emptyTitle: string;
  /** Below the empty state's title: what would fill the list, or a way to. */
  emptyHint?: ReactNode;
  loadingLabel?: string;
}

/** The list's loading, error or empty state, or its rows as `children` draws them. */
export function ListStates<Item>({
  list,
  emptyTitle,
  emptyHint,
  loadingLabel,
  children,
}: ListStatesProps<Item> & { children: (items: readonly Item[]) => ReactNode }) {
  if (list.isLoading) return <Loading label={loadingLabel} />;
  if (list.error) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (!list.items || list.items.length === 0) return <EmptyState title={emptyTitle}>{emptyHint}</EmptyState>;
  return <>{children(list.items)}</>;
}

/** A row's React key: the item's `id`, unless `rowKey` says otherwise (it must, for items without one). */
export type RowKey<Item> = Item extends { id: string } ? { rowKey?: (item: Item) => string } : { rowKey: (item: Item) => string };

/** How the rows are drawn. */
export interface TableLayout<Item> {
  columns: Column<Item>[];
  /** The table's accessible name. */
  label?: string;
  /** In a card of its own (a list on a page), or bare (inside a card already). */
  framed?: boolean;
  rowClassName?: (item: Item) => string | undefined;
}

export type DataTableProps<Item> = RowKey<Item> &
  TableLayout<Item> & {
    items: readonly Item[];
    busy?: boolean;
    /** Rows under the body: totals. */
    footer?: ReactNode;
  };

/** The key function that `RowKey` allows to be left out. */
function keyFunction<Item>(props: RowKey<Item>): (item: Item) => string {
  const rowKey = (props as { rowKey?: (item: Item) => string }).rowKey;
  return rowKey ?? ((item) => (item as { id: string }).id);
}

interface TableProps<Item> extends TableLayout<Item> {
  items: readonly Item[];
  keyOf: (item: Item) => string;
  busy?: boolean;
  footer?: ReactNode;
}

function Table<Item>({ items, keyOf, columns, label, framed = true, busy, rowClassName, footer }: TableProps<Item>) {
  const shown = columns.filter((column) => !column.hidden);
  return (
    <div className={framed ? 'table-wrap card' : 'table-wrap'} style={framed ? { padding: 0 } : undefined} aria-busy={busy}>
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {shown.map((column, index) => (
              <th key={index} className={column.className?.split(' ').includes('number') ? 'number' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={keyOf(item)} className={rowClassName?.(item)}>
              {shown.map((column, index) => (
                <td key={index} className={column.className}>
                  {column.cell(item)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {footer && <tfoot>{footer}</tfoot>}
      </table>
    </div>
  );
}

/** Rows by columns. */
export function DataTable<Item>(props: DataTableProps<Item>) {
  return <Table {...props} keyOf={keyFunction(props)} />;
}

export type PagedTableProps<Item> = ListStatesProps<Item> &
  RowKey<Item> &
  TableLayout<Item> & {
    /** Rows under the body (totals), from the rows shown. */
    footer?: (items: readonly Item[]) => ReactNode;
  };

/** A list screen's table: its states, its rows, and its pager. */
export function PagedTable<Item>(props: PagedTableProps<Item>) {
  const { list, emptyTitle, emptyHint, loadingLabel, footer } = props;
  const keyOf = keyFunction(props);
  return (
    <>
      <ListStates list={list} emptyTitle={emptyTitle} emptyHint={emptyHint} loadingLabel={loadingLabel}>
        {(items) => <Table {...props} items={items} keyOf={keyOf} busy={list.isFetching} footer={footer?.(items)} />}
      </ListStates>
      {list.pager && <Pager pager={list.pager} busy={list.isFetching} />}
    </>
  );
}
