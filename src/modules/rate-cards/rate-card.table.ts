/** The products, rate_cards, rate_card_versions and rate_card_approvals tables as Kysely sees them. */
import type { ColumnType } from 'kysely';
import type { VersionStatus } from '../../wire/contracts.ts';
import type { VersionLifecycleColumns } from '../versioning/index.ts';

export interface ProductsTable {
  id: string;
  key: string;
  name: string;
  description: string | null;
  created_by: string;
  created_at: string;
}

export interface RateCardsTable {
  id: string;
  name: string;
  currency: string;
  created_by: string;
  created_at: string;
  current_version: number | null;
  open_version: number | null;
  open_version_status: VersionStatus | null;
}

export interface RateCardVersionsTable extends VersionLifecycleColumns {
  rate_card_id: string;
  number: number;
  status: VersionStatus;
  effective_from: string;
  // jsonb: written as a JSON string, read back as the parsed value.
  entries: ColumnType<unknown, string, string>;
  premiums: ColumnType<unknown, string, string>;
}

export interface RateCardApprovalsTable {
  rate_card_id: string;
  version_number: number;
  approved_by: string;
  approved_at: string;
  comment: string | null;
}

declare module '../../platform/database.ts' {
  interface Database {
    products: ProductsTable;
    rate_cards: RateCardsTable;
    rate_card_versions: RateCardVersionsTable;
    rate_card_approvals: RateCardApprovalsTable;
  }
}
