/** Roles and what each may do; every /v1 route names the permission it needs. */
export const roles = ['admin', 'finance', 'ops', 'viewer', 'party'] as const;
export type Role = (typeof roles)[number];

export type Permission =
  | 'read' // read anything (a party user: only its own objects)
  | 'contracts.write' // create and edit contracts, amendments, renewals, terminations; submit
  | 'contracts.approve' // approve or reject versions
  | 'parties.write'
  | 'settings.write'
  | 'entities.write' // create and edit billing entities (issuer blocks, number prefixes)
  | 'users.manage'
  | 'renewals.run'
  | 'audit.read'
  | 'delivery.write' // load impressions and conversions, update conversion statuses
  | 'conversions.write' // post conversions (a party user: for its own contracts)
  | 'charges.preview'
  | 'settings.read'
  | 'billing.run' // start billing runs (drafts of invoices and payout statements)
  | 'billing.write' // finalize and void documents, credit notes, payments, payout statements
  | 'ledger.read' // the ledger, trial balance, margin report and finance exports
  | 'webhooks.manage' // webhook endpoints and their delivery log
  | 'rates.read' // products, rate cards and the below-card report: staff only, list prices are internal
  | 'scrub.read' // scrub rules, the held queue and the scrub report: staff only, fraud controls are internal
  | 'scrub.write'; // create, disable and preview scrub rules

const grants: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([
    'read',
    'contracts.write',
    'contracts.approve',
    'parties.write',
    'settings.write',
    'entities.write',
    'users.manage',
    'renewals.run',
    'audit.read',
    'delivery.write',
    'conversions.write',
    'charges.preview',
    'settings.read',
    'billing.run',
    'billing.write',
    'ledger.read',
    'webhooks.manage',
    'rates.read',
    'scrub.read',
    'scrub.write',
  ]),
  finance: new Set<Permission>([
    'read',
    'contracts.approve',
    'renewals.run',
    'audit.read',
    'parties.write',
    'entities.write',
    'charges.preview',
    'settings.read',
    'billing.run',
    'billing.write',
    'ledger.read',
    'rates.read',
    'scrub.read',
  ]),
  ops: new Set<Permission>([
    'read',
    'contracts.write',
    'parties.write',
    'audit.read',
    'delivery.write',
    'conversions.write',
    'charges.preview',
    'settings.read',
    'rates.read',
    'scrub.read',
    'scrub.write',
  ]),
  viewer: new Set<Permission>(['read', 'audit.read', 'charges.preview', 'settings.read', 'ledger.read', 'rates.read', 'scrub.read']),
  party: new Set<Permission>(['read', 'conversions.write', 'charges.preview']),
};

/** Whether a role holds a permission. */
export function roleMay(role: Role, permission: Permission): boolean {
  return grants[role].has(permission);
}
