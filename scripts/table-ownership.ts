/**
 * Modules own their tables (docs/architecture.md, "Rules that keep the map"): each table is declared
 * by one module's `*.table.ts` (the `declare module … interface Database` block), and only that
 * module's files may name it in a query. Another module asks the owner's repository through its
 * index.ts. Billing's sub-modules (runs, documents, settlement, pdf, reports) share billing's tables.
 *
 * `npm run check` runs this over src/; test/unit/boundaries.test.ts feeds it a deliberate violation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SourceFile {
  /** Relative to the repository root, with forward slashes: `src/modules/billing/runs/run-billing.ts`. */
  path: string;
  text: string;
}

export interface ForeignTableUse {
  file: string;
  line: number;
  table: string;
  owner: string;
  user: string;
}

/** Who owns a file's tables: its module (billing counts as one), or platform/ or http/. */
export function ownerOf(file: string): string | undefined {
  const match = /^src\/(modules\/[^/]+|platform|http)\//.exec(file);
  return match?.[1];
}

/** Table (or view) name → owning module, from the `interface Database { name: Type; … }` blocks of *.table.ts files. */
export function tableOwners(files: readonly SourceFile[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files) {
    if (!file.path.endsWith('.table.ts')) continue;
    const owner = ownerOf(file.path);
    const block = /interface Database \{([^}]*)\}/.exec(file.text)?.[1];
    if (!owner || block === undefined) continue;
    for (const match of block.matchAll(/^\s*([a-z_][a-z0-9_]*)\s*:/gm)) owners.set(match[1] as string, owner);
  }
  return owners;
}

// Where a query names a table: the query builder's entry points and joins, and the SQL keywords
// that take a table in raw `sql` templates. Names that are not tables (unnest, lateral…) are ignored.
const builderPattern = /\.(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*'([a-z_][a-z0-9_]*)/g;
const rawPattern = /\b(?:from|join|into|update|table|exists\s*\(\s*select\s+1\s+from)\s+([a-z_][a-z0-9_]*)/gi;

/** Every place where a file names a table that another module owns. */
export function findForeignTableUses(files: readonly SourceFile[]): ForeignTableUse[] {
  const owners = tableOwners(files);
  const uses: ForeignTableUse[] = [];
  for (const file of files) {
    const user = ownerOf(file.path);
    if (!user || file.path.endsWith('.table.ts')) continue;
    const lines = file.text.split('\n');
    lines.forEach((text, index) => {
      // Comments speak of tables in prose; only code counts.
      const code = text.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
      for (const pattern of [builderPattern, rawPattern]) {
        for (const match of code.matchAll(pattern)) {
          const table = (match[1] as string).toLowerCase();
          const owner = owners.get(table);
          if (owner !== undefined && owner !== user) uses.push({ file: file.path, line: index + 1, table, owner, user });
        }
      }
    });
  }
  return uses;
}

/** The TypeScript files under `directory`, relative to `root`. */
export function readSources(root: string, directory = 'src'): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts')) files.push({ path: child, text: fs.readFileSync(path.join(root, child), 'utf8') });
    }
  };
  walk(directory);
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = readSources(root);
  const uses = findForeignTableUses(files);
  for (const use of uses) {
    process.stderr.write(
      `${use.file}:${use.line}: ${use.user} names ${use.table}, a table of ${use.owner}: ask ${use.owner}'s repository instead\n`,
    );
  }
  if (uses.length > 0) process.exitCode = 1;
  else process.stdout.write(`table ownership: ${tableOwners(files).size} tables, each named only by its module\n`);
}
