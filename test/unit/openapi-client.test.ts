/**
 * A client generated from the OpenAPI document types what it sends and what it reads: the types
 * openapi-typescript writes from the document accept valid contract terms (sell and buy, every
 * optional part) and a version's terms read back, and the TypeScript compiler refuses a wrong type,
 * a misspelt field, a field that terms do not have and an unknown problem code. With `terms`
 * declared loosely, as the document once did, the wrong snippets would compile and this test fail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyTermsSchema, sellTermsSchema } from '../../src/wire/terms.ts';
import { buildApiDocument } from '../../scripts/api-document.ts';
import { cpmTerms } from '../support/fixtures.ts';
import { fullSellTerms } from '../support/security-routes.ts';

const createContract = "paths['/v1/contracts']['post']['requestBody']['content']['application/json']";
const readVersion = "paths['/v1/contracts/{id}/versions/{n}']['get']['responses'][200]['content']['application/json']";

/** A snippet that sends a create-contract body with these terms (a TypeScript expression). */
function sending(side: 'sell' | 'buy', terms: string): string {
  return `import type { paths } from './api';
export const body: ${createContract} = { partyId: 'pty_1', side: '${side}', name: 'IO', terms: ${terms} };
`;
}

/** The full sell terms with one change in the first line item's pricing. */
function sellTermsWithPricing(pricing: Record<string, unknown>): string {
  const terms = fullSellTerms() as { lineItems: { pricing: unknown }[] };
  terms.lineItems[0] = { ...terms.lineItems[0], pricing };
  return JSON.stringify(terms);
}

const buyTerms = { ...cpmTerms(), appliesTo: 'all', holdDays: 30, minimumPayout: '50.00' };

const snippets: Record<string, string> = {
  'right-sell.ts': sending('sell', JSON.stringify(fullSellTerms())),
  'right-buy.ts': sending('buy', JSON.stringify(buyTerms)),
  'right-answer.ts': `import type { components, paths } from './api';
export function lineItemKeys(version: ${readVersion}): string[] {
  return version.terms.lineItems.map((lineItem) => lineItem.key);
}
export const code: components['schemas']['Problem']['code'] = 'version_not_draft';
`,
  'wrong-type.ts': sending('sell', sellTermsWithPricing({ model: 'cpm', ratePerMille: 25 })),
  'wrong-field.ts': sending('sell', sellTermsWithPricing({ model: 'cpm', ratePerMile: '25.00' })),
  'wrong-answer.ts': `import type { paths } from './api';
export function currency(version: ${readVersion}): string {
  return version.terms.currencyCode;
}
`,
  'wrong-code.ts': `import type { components } from './api';
export const code: components['schemas']['Problem']['code'] = 'no_such_code';
`,
};

describe('a client generated from the OpenAPI document', () => {
  let directory: string;
  const errors = new Map<string, string[]>();

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-openapi-client-'));
    const document = await buildApiDocument();
    fs.writeFileSync(path.join(directory, 'api.d.ts'), astToString(await openapiTS(document as unknown as OpenAPI3)));
    for (const [name, text] of Object.entries(snippets)) fs.writeFileSync(path.join(directory, name), text);
    // One program for every snippet: the generated types are read and checked once.
    const program = ts.createProgram(
      Object.keys(snippets).map((name) => path.join(directory, name)),
      {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts'],
        types: [],
      },
    );
    for (const name of Object.keys(snippets)) {
      const source = program.getSourceFile(path.join(directory, name));
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      errors.set(
        name,
        diagnostics.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
      );
    }
  }, 60_000);
  afterAll(() => {
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });

  it('the right snippets are right for the server too', () => {
    expect(sellTermsSchema.safeParse(fullSellTerms()).success).toBe(true);
    expect(buyTermsSchema.safeParse(buyTerms).success).toBe(true);
  });

  it.each(['right-sell.ts', 'right-buy.ts', 'right-answer.ts'])('%s compiles', (name) => {
    expect(errors.get(name)).toEqual([]);
  });

  it.each([
    ['wrong-type.ts', /ratePerMille|number/],
    ['wrong-field.ts', /ratePerMile/],
    ['wrong-answer.ts', /currencyCode/],
    ['wrong-code.ts', /no_such_code/],
  ])('%s does not compile', (name, message) => {
    const found = errors.get(name) ?? [];
    expect(found.length, `${name} compiled without an error`).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(message);
  });
});
