/**
 * Tensorloom's import graph, read with the TypeScript compiler's parser: every static import,
 * `import type`, `export … from`, dynamic `import()` and `import('…')` type, resolved to a file
 * (or a package name). `checkLayering` holds the layering rules of ARCHITECTURE.md as one table
 * and `findCycles` finds import loops, type-only ones included. `scripts/check-imports.test.ts`
 * runs both over the repository, so the layering cannot erode unnoticed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import as written in a file. */
export interface ImportRef {
  /** The specifier as written: `../graph/plan`, `@tensorflow/tfjs`. */
  specifier: string;
  /** Erased at build time (`import type`, `export type … from`, an `import('…')` type). */
  typeOnly: boolean;
}

/** An import resolved: a repository file (posix path from the root) or a package. */
export interface Edge extends ImportRef {
  from: string;
  /** The file imported, or undefined for a package (then `pkg` names it). */
  to?: string;
  pkg?: string;
}

/** The folders whose sources the graph covers. */
export const SOURCE_ROOTS = ['src', 'nodes', 'workers', 'presets', 'bench', 'scripts', 'e2e'] as const;

function allTypeOnly(clause: ts.ImportClause): boolean {
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** The imports of one source text (its file name only picks the parser's dialect). */
export function readImports(fileName: string, text: string): ImportRef[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const out: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ specifier: node.moduleSpecifier.text, typeOnly: node.importClause ? allTypeOnly(node.importClause) : false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      const typeOnly = node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly));
      out.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push({ specifier: arg.text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(path, out);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
}

const EXTENSIONS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const posix = (path: string): string => path.split(sep).join('/');

/** Every import edge of the sources under `SOURCE_ROOTS` of the repository at `root`. */
export function readImportGraph(root: string): Edge[] {
  const files: string[] = [];
  for (const folder of SOURCE_ROOTS) walk(join(root, folder), files);
  const edges: Edge[] = [];
  for (const file of files) {
    const from = posix(relative(root, file));
    for (const ref of readImports(file, readFileSync(file, 'utf8'))) {
      if (!ref.specifier.startsWith('.')) {
        edges.push({ ...ref, from, pkg: packageName(ref.specifier) });
        continue;
      }
      const base = resolve(dirname(file), ref.specifier);
      const hit = EXTENSIONS.map((e) => base + e).find((p) => existsSync(p) && statSync(p).isFile());
      // An unresolved specifier is tsc's to report; the graph keeps it so no import goes unseen.
      edges.push({ ...ref, from, to: posix(relative(root, hit ?? base)) });
    }
  }
  return edges;
}

/** Test files and the helpers only tests use: free to reach across layers (never into a loop). */
export function isTestFile(path: string): boolean {
  return /\.test\.tsx?$/.test(path) || /(^|\/)(test-[\w-]+|[\w-]+-test-plans)\.ts$/.test(path);
}
