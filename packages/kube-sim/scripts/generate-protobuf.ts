// Generates src/schemas/protobuf.json: the protobuf descriptors of every built-in Kubernetes kind,
// from Kubernetes' own `generated.proto` files (k8s.io/api, k8s.io/apimachinery and
// k8s.io/apiextensions-apiserver at KUBE_API_VERSION, from the Go module cache), so that the
// simulator decodes every protobuf body kubectl sends. With them, `keepZero`: per message, the
// fields whose zero value means something (Go pointers, or JSON tags without omitempty), read from
// the same modules' types.go — a zero in any other field is what JSON would omit — and `inline`:
// the embedded structs whose fields JSON flattens into the enclosing object.
//
//   npm run generate-protobuf -w @uncloud/kube-sim      # needs `go` (downloads the modules)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const KUBE_API_VERSION = 'v0.36.1';
const MODULES = ['k8s.io/api', 'k8s.io/apimachinery', 'k8s.io/apiextensions-apiserver'];

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '../src/schemas/protobuf.json');

const go = (...args: string[]) => execFileSync('go', args, { encoding: 'utf8' }).trim();
go('mod', 'download', ...MODULES.map((m) => `${m}@${KUBE_API_VERSION}`));
const modCache = go('env', 'GOMODCACHE');
const moduleDir = (m: string) => join(modCache, `${m}@${KUBE_API_VERSION}`);

function walk(dir: string, name: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'testdata' && entry !== 'testapigroup') walk(path, name, found);
    } else if (entry === name) found.push(path);
  }
  return found;
}

// `import "k8s.io/api/core/v1/generated.proto"` → the file in the module cache.
const importPath = (file: string): string => {
  for (const m of MODULES) {
    const dir = moduleDir(m);
    if (file.startsWith(dir)) return join(m, relative(dir, file));
  }
  throw new Error(`${file} is in none of ${MODULES.join(', ')}`);
};
const fromImport = (path: string): string => {
  const m = MODULES.find((mod) => path.startsWith(`${mod}/`));
  if (!m) throw new Error(`cannot resolve the import ${path}`);
  return join(moduleDir(m), path.slice(m.length + 1));
};

const protoFiles = MODULES.flatMap((m) => walk(moduleDir(m), 'generated.proto'));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : fromImport(target));
root.loadSync(protoFiles, { keepCase: true });
root.resolveAll();

// keepZero: Go struct fields that are pointers or are serialised even when zero; inline: embedded
// structs (`json:",inline"`) whose fields JSON puts in the enclosing object.
const keepZero: Record<string, string[]> = {};
const inline: Record<string, string[]> = {};
for (const m of MODULES) {
  for (const file of walk(moduleDir(m), 'types.go')) {
    const dir = dirname(importPath(file));
    const pkg = dir.replace(/^k8s\.io\/apiextensions-apiserver\//, 'k8s.io/apiextensions_apiserver/');
    const protoPackage = pkg.replaceAll('/', '.');
    let struct: string | undefined;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const start = /^type (\w+) struct \{/.exec(line);
      if (start) {
        struct = start[1];
        continue;
      }
      if (line.startsWith('}')) struct = undefined;
      if (!struct) continue;
      // `Name Type \`json:…\`` or an embedded `Type \`json:",inline" …\``.
      const field = /^\s+(?:\w+\s+)?(\S+)\s+`json:"([^",]*)([^"]*)".*protobuf:"[^"]*name=(\w+)/.exec(line);
      if (!field) continue;
      const [, goType, jsonName, jsonOpts, protoName] = field;
      if (!goType || protoName === undefined) continue;
      if (jsonName === '' && jsonOpts?.includes('inline')) {
        (inline[`${protoPackage}.${struct}`] ??= []).push(protoName);
        continue;
      }
      const pointer = goType.startsWith('*');
      if (!pointer && jsonOpts?.includes('omitempty')) continue;
      (keepZero[`${protoPackage}.${struct}`] ??= []).push(protoName);
    }
  }
}

writeFileSync(
  out,
  `${JSON.stringify({
    source: `generated.proto and types.go of ${MODULES.map((m) => `${m}@${KUBE_API_VERSION}`).join(', ')}`,
    keepZero,
    inline,
    descriptor: root.toJSON(),
  })}\n`,
);
process.stdout.write(`wrote ${relative(process.cwd(), out)} (${protoFiles.length} proto files)\n`);
