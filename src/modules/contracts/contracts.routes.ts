/** HTTP routes for contracts and their versions: the whole lifecycle. No SQL and no rules here. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, writtenPageText } from '../../http/pagination.ts';
import { preserialized } from '../../http/serializer.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import { amendContract } from './amend-contract.ts';
import { approveVersion } from './approve-version.ts';
import { listContractsWritten } from './contract.repository.ts';
import { versionEtag } from '../versioning/index.ts';
import { createContract } from './create-contract.ts';
import { diffTerms } from './diff-terms.ts';
import { editVersion } from './edit-version.ts';
import { giveNonRenewalNotice } from './give-non-renewal-notice.ts';
import { readContract, readVersion } from './read-contract.ts';
import { rejectVersion } from './reject-version.ts';
import { renewContract } from './renew-contract.ts';
import { runRenewals } from './run-renewals.ts';
import { submitVersion } from './submit-version.ts';
import { calendarDateSchema } from '../../wire/terms-fields.ts';
import { terminateContract } from './terminate-contract.ts';
import { withdrawVersion } from './withdraw-version.ts';
import { contractSchema, contractStatuses, type ContractVersion, versionSchema } from '../../wire/contracts.ts';

const termsDescription =
  'Contract terms (SPEC §3): SellTerms for side sell, BuyTerms for side buy; validated in full, errors name the field under "terms".';
const termsField = z.unknown().describe(termsDescription);
const contractParams = z.object({ id: z.string().max(64) });
const versionParams = contractParams.extend({ n: z.coerce.number().int().min(1).max(100_000) });
const ifMatchHeaders = z.object({ 'if-match': z.string().max(200).optional() });
const reasonText = z.string().trim().min(1).max(2000);
// Actions that take no input still declare an (empty, strict) body: a body sent anyway is refused
// with 400 instead of ignored, so a client that thinks it sent a field learns that it did not.
const noBody = z.strictObject({}).nullish();
/** What writing terms can answer when a line is priced from a rate card (SPEC §8). */
const cardPricingProblems = [
  'unknown_rate_card',
  'unknown_product',
  'unknown_premium',
  'rate_card_not_in_force',
  'rate_card_currency_mismatch',
  'rate_card_entry_missing',
  'below_floor_rate',
] as const;

/** Sends a version with its ETag. */
function sendVersion(reply: FastifyReply, version: ContractVersion, status = 200) {
  return reply
    .code(status)
    .header('etag', versionEtag(version.contractId, version.number, version.revision))
    .send(version);
}

/** Contracts: create, read, list, version actions, amendments, renewals, termination, diff. */
export const contractRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['contracts'];
  const versionResponse = { 200: versionSchema };
  const createdVersionResponse = { 201: versionSchema };
  const readBack = (contractId: string, versionNumber: number, request: { scope: VisibilityScope }) =>
    readVersion(app.store.db, request.scope, contractId, versionNumber);

  app.post(
    '/contracts',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'createContract',
        tags,
        summary: 'Create a contract; version 1 starts as a draft',
        description:
          'The side decides the terms: SellTerms for a sell contract (an advertiser or agency), BuyTerms for a buy contract (a partner).',
        problems: ['unknown_party', 'side_mismatch', 'unknown_contract', ...cardPricingProblems],
        body: z.strictObject({
          partyId: z.string().max(64),
          side: z.enum(['sell', 'buy']),
          name: z.string().trim().min(1).max(200),
          terms: termsField,
        }),
        response: { 201: contractSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => createContract(context, request.body))),
  );

  app.get(
    '/contracts',
    {
      config: { permission: 'read', cacheable: true },
      schema: {
        operationId: 'listContracts',
        tags,
        summary: 'List contracts',
        description: 'A party user sees only its own approved contracts and their approved versions.',
        querystring: pageQuerySchema.extend({
          partyId: z.string().max(64).optional(),
          status: z.enum(contractStatuses).optional(),
          side: z.enum(['sell', 'buy']).optional(),
          q: z.string().trim().min(1).max(100).optional(),
        }),
        response: { 200: pageSchema(contractSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, partyId, status, side, q } = request.query;
      // PostgreSQL writes the page's JSON text; the server passes it through (the tests check it against the schema).
      const page = await listContractsWritten(app.store.db, request.scope, app.clock.today(), {
        partyId,
        status,
        side,
        search: q,
        afterId: decodeCursor(cursor),
        limit,
      });
      return preserialized<z.infer<ReturnType<typeof pageSchema<typeof contractSchema>>>>(writtenPageText(page));
    },
  );

  app.get(
    '/contracts/:id',
    {
      config: { permission: 'read', cacheable: true },
      schema: {
        operationId: 'getContract',
        tags,
        summary: 'Read a contract',
        params: contractParams,
        response: { 200: contractSchema },
        problems: ['contract_not_found'],
      },
    },
    async (request) => readContract(app.store.db, request.scope, app.clock.today(), request.params.id),
  );

  app.get(
    '/contracts/:id/versions/:n',
    {
      config: { permission: 'read', cacheable: true },
      schema: {
        operationId: 'getContractVersion',
        tags,
        summary: 'Read a version with its terms and approvals (ETag)',
        description: 'The ETag header names its revision: send it back as If-Match with a change, so that a stale edit is refused.',
        params: versionParams,
        response: versionResponse,
        problems: ['contract_not_found', 'version_not_found'],
      },
    },
    async (request, reply) => sendVersion(reply, await readBack(request.params.id, request.params.n, request)),
  );

  app.patch(
    '/contracts/:id/versions/:n',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'editContractVersion',
        tags,
        summary: 'Edit a draft or rejected version (If-Match with its ETag)',
        description: 'Replaces the full terms; a rejected version goes back to draft. An amendment keeps its currency and start date.',
        problems: [
          'contract_not_found',
          'version_not_found',
          'version_not_draft',
          'unknown_contract',
          'currency_change',
          'start_date_change',
          'effective_date_out_of_range',
          ...cardPricingProblems,
        ],
        params: versionParams,
        headers: ifMatchHeaders,
        body: z.strictObject({ terms: termsField, effectiveFrom: calendarDateSchema.optional(), reason: reasonText.optional() }),
        response: versionResponse,
      },
    },
    async (request, reply) => {
      const { id, n } = request.params;
      await app.transact(request, (context) =>
        editVersion(context, { contractId: id, versionNumber: n, ifMatch: request.headers['if-match'] }, request.body),
      );
      return sendVersion(reply, await readBack(id, n, request));
    },
  );

  app.post(
    '/contracts/:id/versions/:n/submit',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'submitContractVersion',
        tags,
        summary: 'Submit a version for approval',
        problems: ['contract_not_found', 'version_not_found', 'version_not_draft'],
        params: versionParams,
        headers: ifMatchHeaders,
        body: noBody,
        response: versionResponse,
      },
    },
    async (request, reply) => {
      const { id, n } = request.params;
      await app.transact(request, (context) =>
        submitVersion(context, { contractId: id, versionNumber: n, ifMatch: request.headers['if-match'] }),
      );
      return sendVersion(reply, await readBack(id, n, request));
    },
  );

  app.post(
    '/contracts/:id/versions/:n/approve',
    {
      config: { permission: 'contracts.approve' },
      schema: {
        operationId: 'approveContractVersion',
        tags,
        summary: 'Approve a pending version (maker-checker; large contracts need two approvers)',
        description: 'Whoever created or submitted the version may not approve it; the approval policy names the roles that may.',
        problems: [
          'contract_not_found',
          'version_not_found',
          'forbidden',
          'version_not_pending',
          'maker_checker',
          'already_approved_by_you',
          'partner_agreement_overlap',
        ],
        params: versionParams,
        headers: ifMatchHeaders,
        body: z.strictObject({ comment: z.string().trim().max(2000).optional() }).nullish(),
        response: versionResponse,
      },
    },
    async (request, reply) => {
      const { id, n } = request.params;
      await app.transact(request, (context) =>
        approveVersion(context, { contractId: id, versionNumber: n, ifMatch: request.headers['if-match'] }, request.body?.comment),
      );
      return sendVersion(reply, await readBack(id, n, request));
    },
  );

  app.post(
    '/contracts/:id/versions/:n/reject',
    {
      config: { permission: 'contracts.approve' },
      schema: {
        operationId: 'rejectContractVersion',
        tags,
        summary: 'Reject a pending version with a reason',
        problems: ['contract_not_found', 'version_not_found', 'forbidden', 'version_not_pending', 'maker_checker'],
        params: versionParams,
        headers: ifMatchHeaders,
        body: z.strictObject({ reason: reasonText }),
        response: versionResponse,
      },
    },
    async (request, reply) => {
      const { id, n } = request.params;
      await app.transact(request, (context) =>
        rejectVersion(context, { contractId: id, versionNumber: n, ifMatch: request.headers['if-match'] }, request.body.reason),
      );
      return sendVersion(reply, await readBack(id, n, request));
    },
  );

  app.post(
    '/contracts/:id/versions/:n/withdraw',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'withdrawContractVersion',
        tags,
        summary: 'Withdraw an amendment, renewal or termination that will not go ahead',
        problems: ['contract_not_found', 'version_not_found', 'version_not_editable'],
        params: versionParams,
        body: z.strictObject({ reason: reasonText.optional() }).nullish(),
        response: versionResponse,
      },
    },
    async (request, reply) => {
      const { id, n } = request.params;
      await app.transact(request, (context) => withdrawVersion(context, id, n, request.body?.reason));
      return sendVersion(reply, await readBack(id, n, request));
    },
  );

  app.post(
    '/contracts/:id/amendments',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'amendContract',
        tags,
        summary: 'Start an amendment effective from a date (a new draft version with full terms)',
        problems: [
          'contract_not_found',
          'contract_terminated',
          'contract_not_approved',
          'version_in_progress',
          'unknown_contract',
          'currency_change',
          'start_date_change',
          'effective_date_out_of_range',
          ...cardPricingProblems,
        ],
        params: contractParams,
        body: z.strictObject({ effectiveFrom: calendarDateSchema, terms: termsField, reason: reasonText }),
        response: createdVersionResponse,
      },
    },
    async (request, reply) => {
      const number = await app.transact(request, (context) => amendContract(context, request.params.id, request.body));
      return sendVersion(reply, await readBack(request.params.id, number, request), 201);
    },
  );

  app.post(
    '/contracts/:id/renew',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'renewContract',
        tags,
        summary: 'Start a renewal: a draft version extending the end date',
        problems: ['contract_not_found', 'contract_terminated', 'contract_not_approved', 'version_in_progress'],
        params: contractParams,
        body: z.strictObject({ termMonths: z.int().min(1).max(120).optional() }).nullish(),
        response: createdVersionResponse,
      },
    },
    async (request, reply) => {
      const number = await app.transact(request, (context) => renewContract(context, request.params.id, request.body?.termMonths));
      return sendVersion(reply, await readBack(request.params.id, number, request), 201);
    },
  );

  app.post(
    '/contracts/:id/terminate',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'terminateContract',
        tags,
        summary: 'Start a termination: a draft version ending the contract on effectiveDate',
        problems: [
          'contract_not_found',
          'contract_terminated',
          'contract_not_approved',
          'version_in_progress',
          'effective_date_out_of_range',
        ],
        params: contractParams,
        body: z.strictObject({ effectiveDate: calendarDateSchema, reason: reasonText }),
        response: createdVersionResponse,
      },
    },
    async (request, reply) => {
      const number = await app.transact(request, (context) => terminateContract(context, request.params.id, request.body));
      return sendVersion(reply, await readBack(request.params.id, number, request), 201);
    },
  );

  app.post(
    '/contracts/:id/non-renewal-notice',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'giveNonRenewalNotice',
        tags,
        summary: 'Give notice of non-renewal (auto-renewing contracts, before the notice deadline)',
        problems: [
          'contract_not_found',
          'contract_terminated',
          'contract_not_approved',
          'renewal_not_configured',
          'notice_already_given',
          'notice_period_passed',
        ],
        params: contractParams,
        body: z.strictObject({ reason: reasonText.optional() }).nullish(),
        response: { 200: contractSchema },
      },
    },
    async (request) => {
      await app.transact(request, (context) => giveNonRenewalNotice(context, request.params.id, request.body?.reason));
      return readContract(app.store.db, request.scope, app.clock.today(), request.params.id);
    },
  );

  app.get(
    '/contracts/:id/diff',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'diffContractVersions',
        tags,
        summary: 'What changed in the terms between two versions',
        problems: ['contract_not_found', 'version_not_found'],
        params: contractParams,
        querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
        response: {
          200: z.object({
            from: z.int(),
            to: z.int(),
            changes: z.array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() })),
          }),
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const [a, b] = await Promise.all([readBack(request.params.id, from, request), readBack(request.params.id, to, request)]);
      return { from, to, changes: diffTerms(a.terms, b.terms) };
    },
  );

  app.post(
    '/renewals/run',
    {
      config: { permission: 'renewals.run' },
      schema: {
        operationId: 'runRenewals',
        tags,
        summary: 'Renew every auto-renewing contract inside its notice window (idempotent)',
        description: 'Contracts that cannot renew (a version in progress, a failed check) are listed under skipped; the others renew.',
        body: z.strictObject({ asOf: calendarDateSchema.optional() }).nullish(),
        response: {
          200: z.object({
            asOf: z.string(),
            renewed: z.array(z.object({ contractId: z.string(), version: z.int(), endDate: z.string() })),
            skipped: z.array(z.object({ contractId: z.string(), reason: z.string() })),
          }),
        },
      },
    },
    async (request) => app.transact(request, (context) => runRenewals(context, request.body?.asOf ?? context.today)),
  );
};
