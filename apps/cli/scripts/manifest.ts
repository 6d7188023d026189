import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appRouter } from '@uncloud/sdk/contract';
import ts from 'typescript';
import { z } from 'zod';
import type { JsonSchema, Manifest, ProcedureSpec } from '../src/contract/manifest-types.ts';

/**
 * Reads the contract (the tRPC router, its zod inputs and the doc comments of the routers and
 * schemas) into the manifest the CLI builds its command tree from. It runs in the workspace only:
 * the published SDK does not ship the router, so the CLI carries what it needs of it as data.
 */

/** Where the CLI keeps the manifest, committed so that the build and the published CLI need no contract. */
export const manifestPath = fileURLToPath(new URL('../src/contract/procedures.json', import.meta.url));

const sdkSrc = join(dirname(createRequire(import.meta.url).resolve('@uncloud/sdk/package.json')), 'src');

interface RouterProcedure {
  _def: { type: ProcedureSpec['type']; inputs: z.ZodType[] };
}

/** The text of a node's doc comment, without the comment markers. */
const docOf = (node: ts.Node): string | undefined => {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const last = docs?.at(-1);
  if (!last?.comment) return undefined;
  const text = typeof last.comment === 'string' ? last.comment : last.comment.map((c) => c.text).join('');
  return text.replace(/\s+/g, ' ').trim() || undefined;
};

const parse = (path: string) =>
  ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);

const propName = (p: ts.ObjectLiteralElementLike) =>
  p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;

/** Each exported const with its initializer and doc comment, over a set of files. */
const exportedConsts = (files: string[]) => {
  const out = new Map<string, { init: ts.Expression; doc: string | undefined }>();
  for (const file of files) {
    parse(file).forEachChild((statement) => {
      if (!ts.isVariableStatement(statement)) return;
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name) && decl.initializer) {
          out.set(decl.name.text, { init: decl.initializer, doc: docOf(statement) });
        }
      }
    });
  }
  return out;
};

/** The first object literal in an expression (`z.object({...})`, `router({...})`, `{...}`). */
const objectIn = (node: ts.Node): ts.ObjectLiteralExpression | undefined => {
  if (ts.isObjectLiteralExpression(node)) return node;
  let found: ts.ObjectLiteralExpression | undefined;
  node.forEachChild((child) => {
    found ??= objectIn(child);
  });
  return found;
};

/** The identifier an expression starts from: `UserData` in `UserData.optional()`. */
const rootIdentifier = (node: ts.Expression): string | undefined => {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isCallExpression(node)) return rootIdentifier(node.expression);
  if (ts.isPropertyAccessExpression(node)) return rootIdentifier(node.expression);
  return undefined;
};

/** The schema passed to `.input(...)` in a procedure's builder chain. */
const inputIdentifier = (node: ts.Node): string | undefined => {
  let found: string | undefined;
  const visit = (n: ts.Node) => {
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'input' &&
      n.arguments[0] &&
      ts.isIdentifier(n.arguments[0])
    ) {
      found = n.arguments[0].text;
    }
    n.forEachChild(visit);
  };
  visit(node);
  return found;
};

const tsFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));

/** Doc comments of the schemas' fields: `fieldDoc('CreateDropletInput', 'userData')`. */
const schemaDocs = () => {
  const consts = exportedConsts(tsFiles(join(sdkSrc, 'schemas')));
  const fieldDoc = (schemaName: string, field: string, seen = new Set<string>()): string | undefined => {
    if (seen.has(schemaName)) return undefined;
    seen.add(schemaName);
    const entry = consts.get(schemaName);
    const object = entry && objectIn(entry.init);
    if (!object) return undefined;
    for (const p of object.properties) {
      if (ts.isSpreadAssignment(p)) {
        const spread = rootIdentifier(p.expression);
        const doc = spread && fieldDoc(spread, field, seen);
        if (doc) return doc;
      } else if (propName(p) === field) {
        const own = docOf(p);
        if (own) return own;
        const init = ts.isPropertyAssignment(p) ? rootIdentifier(p.initializer) : undefined;
        return init ? consts.get(init)?.doc : undefined;
      }
    }
    return undefined;
  };
  return { fieldDoc };
};

/** Doc comments of the routers (by group) and of their procedures, and each procedure's input schema name. */
const routerDocs = () => {
  const routers = exportedConsts(tsFiles(join(sdkSrc, 'contract', 'routers')));
  const app = exportedConsts([join(sdkSrc, 'contract', 'router.ts')]).get('appRouter');
  const groups = new Map<
    string,
    { doc: string | undefined; procedures: Map<string, ts.PropertyAssignment> }
  >();
  for (const p of objectIn(app!.init)?.properties ?? []) {
    const group = propName(p);
    const routerName = ts.isPropertyAssignment(p) ? rootIdentifier(p.initializer) : undefined;
    const routerConst = routerName ? routers.get(routerName) : undefined;
    if (!group || !routerConst) continue;
    const procedures = new Map<string, ts.PropertyAssignment>();
    for (const q of objectIn(routerConst.init)?.properties ?? []) {
      const name = propName(q);
      if (name && ts.isPropertyAssignment(q)) procedures.set(name, q);
    }
    groups.set(group, { doc: routerConst.doc, procedures });
  }
  return groups;
};

/** One JSON Schema for a procedure's input: tRPC merges the builder's input with the procedure's. */
const mergedInput = (inputs: z.ZodType[]): JsonSchema | null => {
  if (inputs.length === 0) return null;
  const properties: Record<string, JsonSchema> = {};
  const required = new Set<string>();
  for (const input of inputs) {
    const schema = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    Object.assign(properties, schema.properties ?? {});
    for (const name of schema.required ?? []) required.add(name);
  }
  return { type: 'object', properties, required: [...required] };
};

export const buildManifest = (): Manifest => {
  const docs = routerDocs();
  const { fieldDoc } = schemaDocs();
  const manifest: Manifest = { groups: {}, procedures: {} };
  const procedures = appRouter._def.procedures as unknown as Record<string, RouterProcedure>;
  for (const [path, procedure] of Object.entries(procedures)) {
    const [group, name] = path.split('.') as [string, string];
    const groupDocs = docs.get(group);
    manifest.groups[group] ??= groupDocs?.doc ? { description: groupDocs.doc } : {};
    const node = groupDocs?.procedures.get(name);
    const schemaName = node && inputIdentifier(node);
    const input = mergedInput(procedure._def.inputs);
    for (const [field, schema] of Object.entries(input?.properties ?? {})) {
      const doc = schema.description ?? (schemaName ? fieldDoc(schemaName, field) : undefined);
      if (doc) schema.description = doc;
    }
    const description = node && docOf(node);
    manifest.procedures[path] = { type: procedure._def.type, ...(description ? { description } : {}), input };
  }
  return manifest;
};

/** The manifest as the committed file holds it: JSON formatted by the workspace's prettier. */
export const manifestText = async (manifest: Manifest) => {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(manifestPath)) ?? {};
  return prettier.format(JSON.stringify(manifest), { ...config, parser: 'json' });
};
