/** Creates a contract with its original version as a draft (ops write, finance approves later). */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { findParty } from '../parties/index.ts';
import { reserveNumbers } from '../../platform/number-series.repository.ts';
import { everything } from '../../platform/visibility.ts';
import { findContract, insertContractRow } from './contract.repository.ts';
import type { Side } from './contract.ts';
import { assertAppliesTo, insertVersion, readWrittenTerms, writtenStartDate } from './contract-support.ts';
import type { Contract } from '../../wire/contracts.ts';

export interface CreateContractInput {
  partyId: string;
  side: Side;
  name: string;
  terms: unknown;
}

const partyKindsBySide: Record<Side, readonly string[]> = { sell: ['advertiser', 'agency'], buy: ['partner'] };

/** Validates everything first, then writes the contract, version 1 and the audit entries. */
export async function createContract(context: UseCaseContext, input: CreateContractInput): Promise<Contract> {
  const party = await findParty(context.trx, input.partyId);
  if (!party) throw new AppError('unknown_party', `Party ${input.partyId} does not exist`, [{ path: 'partyId', message: 'no such party' }]);
  if (!partyKindsBySide[input.side].includes(party.kind)) {
    throw new AppError(
      'side_mismatch',
      `A ${input.side}-side contract needs a party of kind ${partyKindsBySide[input.side].join(' or ')}; ${party.id} is ${party.kind}`,
      [{ path: 'side', message: `does not fit a party of kind ${party.kind}` }],
    );
  }
  const terms = await readWrittenTerms(context, input.side, input.terms, writtenStartDate(input.terms));
  await assertAppliesTo(context, terms);
  const year = context.today.slice(0, 4);
  const series = `${input.side === 'sell' ? 'IO' : 'PA'}-${year}`;
  const sequence = await reserveNumbers(context.trx, series);
  const contractId = newId('ctr');
  await insertContractRow(context.trx, {
    id: contractId,
    number: `${series}-${String(sequence).padStart(4, '0')}`,
    partyId: party.id,
    side: input.side,
    name: input.name,
    createdAt: context.now.toISOString(),
    createdBy: context.actor.userId,
  });
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'contract.created',
    entityType: 'contract',
    entityId: contractId,
    after: { partyId: party.id, side: input.side, name: input.name },
  });
  await insertVersion(
    context,
    { contractId, number: 1, kind: 'original', status: 'draft', effectiveFrom: terms.startDate, terms, reason: null },
    'contract_version.created',
  );
  const contract = await findContract(context.trx, everything, context.today, contractId);
  if (!contract) throw new Error(`contract ${contractId} vanished inside its own transaction`);
  return contract;
}
