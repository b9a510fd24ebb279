/** Contract types. (The API shapes are in src/wire/contracts.ts; the version lifecycle rules, shared with rate cards, in modules/versioning.) */
export type { Contract, ContractStatus, ContractVersion, Side, VersionKind, VersionStatus } from '../../wire/contracts.ts';
