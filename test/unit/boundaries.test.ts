/**
 * The boundaries that `npm run check` enforces fail on a deliberate violation (issue 13): a module
 * reaching into another's internals or its own index, an import cycle, the web app importing server
 * code (dependency-cruiser, .dependency-cruiser.cjs); SQL outside a repository (ESLint); a module
 * naming another module's table (scripts/table-ownership.ts). And the real tree passes all three.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findForeignTableUses, readSources } from '../../scripts/table-ownership.ts';

const root = path.resolve(import.meta.dirname, '../..');
const rules = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs'));

const trees: string[] = [];
afterAll(() => {
  for (const directory of trees) fs.rmSync(directory, { recursive: true, force: true });
});

/** A small tree laid out like Tally's, in a temporary folder, with the files given. */
function writeTree(files: Record<string, string>): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-boundaries-'));
  trees.push(directory);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    fs.writeFileSync(path.join(directory, file), text);
  }
  return directory;
}

/** The names of the dependency-cruiser rules that a tree breaks. */
async function brokenRules(directory: string): Promise<string[]> {
  const previous = process.cwd();
  process.chdir(directory);
  try {
    const result = await cruise(
      ['src', 'web/src'].filter((folder) => fs.existsSync(folder)),
      {
        validate: true,
        ruleSet: { forbidden: rules.forbidden },
        doNotFollow: { path: 'node_modules' },
        tsPreCompilationDeps: true,
        enhancedResolveOptions: { extensions: ['.ts', '.tsx'] },
      },
    );
    const summary = (result.output as { summary: { violations: { rule: { name: string } }[] } }).summary;
    return [...new Set(summary.violations.map((violation) => violation.rule.name))].sort();
  } finally {
    process.chdir(previous);
  }
}

describe('module boundaries (dependency-cruiser)', () => {
  const clean = {
    'src/modules/alpha/index.ts': "export { alpha } from './alpha.ts';\n",
    'src/modules/alpha/alpha.ts': 'export const alpha = 1;\n',
    'src/modules/beta/index.ts': "export { beta } from './beta.ts';\n",
    'src/modules/beta/beta.ts': "import { alpha } from '../alpha/index.ts';\nexport const beta = alpha + 1;\n",
  };

  it('passes a tree that reaches modules through their index.ts', async () => {
    expect(await brokenRules(writeTree(clean))).toEqual([]);
  });

  it("fails a module that imports another module's internals", async () => {
    const tree = { ...clean, 'src/modules/beta/beta.ts': "import { alpha } from '../alpha/alpha.ts';\nexport const beta = alpha + 1;\n" };
    expect(await brokenRules(writeTree(tree))).toContain('module-internals');
  });

  it('fails an import cycle, and a module that imports its own index.ts', async () => {
    const tree = {
      ...clean,
      'src/modules/alpha/alpha.ts': "import { beta } from '../beta/index.ts';\nexport const alpha = 1;\nexport const both = () => beta;\n",
      'src/modules/beta/beta.ts': "import { alpha } from '../alpha/index.ts';\nimport './index.ts';\nexport const beta = alpha + 1;\n",
    };
    expect(await brokenRules(writeTree(tree))).toEqual(expect.arrayContaining(['no-circular', 'own-index']));
  });

  it('fails the web app importing server code, and the rating engine importing I/O', async () => {
    const tree = {
      ...clean,
      'src/modules/rating/rate.ts': "import fs from 'node:fs';\nexport const rate = fs.existsSync;\n",
      'web/src/page.ts': "import { alpha } from '../../src/modules/alpha/index.ts';\nexport const page = alpha;\n",
    };
    expect(await brokenRules(writeTree(tree))).toEqual(expect.arrayContaining(['rating-is-pure', 'web-reaches-only-wire']));
  });
});

describe('SQL only in repositories (ESLint)', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  const messagesOf = async (file: string, text: string) =>
    (await eslint.lintText(text, { filePath: path.join(root, file) }))[0]?.messages.map((message) => message.message) ?? [];

  it('refuses a query built in a use case, and the sql tag imported into one', async () => {
    const built = await messagesOf(
      'src/modules/parties/rename-party.ts',
      "import type { Tx } from '../../platform/database.ts';\nexport const rename = (trx: Tx) => trx.updateTable('parties').set({ name: 'x' }).execute();\n",
    );
    expect(built.some((message) => message.includes('SQL lives in repositories'))).toBe(true);
    const raw = await messagesOf(
      'src/modules/parties/count-parties.ts',
      "import { sql } from 'kysely';\nexport const query = sql`select 1`;\n",
    );
    expect(raw.some((message) => message.includes('SQL lives in repositories'))).toBe(true);
  });

  it('accepts the same query in a repository', async () => {
    const messages = await messagesOf(
      'src/modules/parties/rename.repository.ts',
      "import type { Tx } from '../../platform/database.ts';\n/** Renames. */\nexport const rename = (trx: Tx) => trx.updateTable('parties').set({ name: 'x' }).execute();\n",
    );
    expect(messages.filter((message) => message.includes('SQL lives in repositories'))).toEqual([]);
  });
});

describe('modules own their tables (scripts/table-ownership.ts)', () => {
  const tables = [
    { path: 'src/modules/alpha/alpha.table.ts', text: 'declare module "x" {\n  interface Database {\n    alphas: AlphasTable;\n  }\n}\n' },
    { path: 'src/modules/beta/beta.table.ts', text: 'declare module "x" {\n  interface Database {\n    betas: BetasTable;\n  }\n}\n' },
  ];

  it("finds a module that names another module's table, in the query builder and in raw SQL", () => {
    const uses = findForeignTableUses([
      ...tables,
      {
        path: 'src/modules/beta/beta.repository.ts',
        text: "db.selectFrom('alphas').selectAll();\nsql`select * from betas b join alphas a on a.id = b.alpha_id`;\n",
      },
    ]);
    expect(uses.map((use) => `${use.line}:${use.table}:${use.owner}`)).toEqual(['1:alphas:modules/alpha', '2:alphas:modules/alpha']);
  });

  it('lets a module name its own tables, and ignores tables named in comments', () => {
    const uses = findForeignTableUses([
      ...tables,
      { path: 'src/modules/beta/beta.repository.ts', text: "// the owner of alphas is alpha\ndb.selectFrom('betas').selectAll();\n" },
    ]);
    expect(uses).toEqual([]);
  });

  it('passes the real source tree', () => {
    expect(findForeignTableUses(readSources(root))).toEqual([]);
  });
});
