/** Opaque ids with a type prefix (`pty_…`, `ctr_…`): sortable by creation time, so they double as cursors. */
import { monotonicFactory } from 'ulidx';

const nextUlid = monotonicFactory();

export type IdPrefix =
  | 'pty'
  | 'ctr'
  | 'usr'
  | 'key'
  | 'aud'
  | 'run'
  | 'inv'
  | 'crn'
  | 'pst'
  | 'pay'
  | 'whk'
  | 'whd'
  | 'evt'
  | 'bat'
  | 'ltx'
  | 'prd'
  | 'rcd'
  | 'ppb'
  | 'pbs'
  | 'scr'
  | 'ent'
  | 'txr'
  | 'fxr'
  | 'cdt';

/** Returns a new id such as `ctr_01JD…`. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${nextUlid().toLowerCase()}`;
}
