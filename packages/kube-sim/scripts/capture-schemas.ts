// Captures the schemas the simulated API server validates with, from the real thing:
//  - the built-in kinds' OpenAPI v3 schemas, fetched from a kube-real control plane (started here,
//    or an already running one with --kubeconfig PATH), trimmed to what the kinds the simulator
//    serves reach, into src/schemas/builtin.json;
//  - the KubeVirt, CloudNativePG and Cilium CustomResourceDefinitions that kube-real installs
//    (tooling/kube-real/crds/*.yaml, the projects' own), as compact JSON into src/schemas/crds.json.
//
//   npm run capture-schemas -w @uncloud/kube-sim              # starts kube-real (needs its binaries)
//   npm run capture-schemas -w @uncloud/kube-sim -- --crds-only
//   npm run capture-schemas -w @uncloud/kube-sim -- --kubeconfig /path/to/kubeconfig
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { BUILTIN_TYPES } from '../src/registry.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const outDir = resolve(here, '../src/schemas');
const kubeReal = join(repo, 'tooling/kube-real');

// The CRDs the simulator installs in its `full` profile (every one kube-real installs).
const CRD_FILES = readdirSync(join(kubeReal, 'crds')).filter((f) => f.endsWith('.yaml'));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: Json };

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

function captureCrds(): void {
  const crds: Json[] = [];
  const sources: string[] = [];
  for (const file of CRD_FILES.sort()) {
    const text = readFileSync(join(kubeReal, 'crds', file), 'utf8');
    const source = /^# Source: (.*)$/m.exec(text)?.[1];
    if (source) sources.push(source);
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJSON() as { kind?: string; metadata?: Record<string, Json> } | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      // What the API server keeps of a created object: no status, no server-set metadata.
      const { status: _status, ...rest } = crd as Record<string, Json>;
      const meta = { ...(crd.metadata ?? {}) };
      delete meta.creationTimestamp;
      crds.push({ ...rest, metadata: meta } as Json);
    }
  }
  const out = { sources, crds };
  writeFileSync(join(outDir, 'crds.json'), JSON.stringify(out));
  console.log(`crds.json: ${crds.length} CRDs from ${CRD_FILES.length} files`);
}

async function startPlane(): Promise<{ kubeconfig: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'capture-schemas-'));
  const child: ChildProcess = spawn(
    join(kubeReal, 'bin/kube-real'),
    ['--dir', join(dir, 'plane'), '--nodes', '1'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const kubeconfig = await new Promise<string>((resolveKc, reject) => {
    let buf = '';
    child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /^kubeconfig: (.+)$/m.exec(buf);
      if (m?.[1]) resolveKc(m[1].trim());
    });
    child.on('exit', (code) => reject(new Error(`kube-real exited with ${code}`)));
  });
  return {
    kubeconfig,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function client(kubeconfig: string) {
  const text = readFileSync(kubeconfig, 'utf8');
  const server = /server: (\S+)/.exec(text)?.[1];
  const token = /token: (\S+)/.exec(text)?.[1];
  const ca = /certificate-authority-data: (\S+)/.exec(text)?.[1];
  if (!server || !token || !ca) throw new Error(`${kubeconfig}: expected server, token and CA data`);
  const agent = new https.Agent({ ca: Buffer.from(ca, 'base64'), keepAlive: true });
  const get = (path: string) =>
    new Promise<Json>((res, rej) => {
      const req = https.get(
        new URL(path, server),
        { agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => {
            const body = Buffer.concat(chunks).toString();
            if (r.statusCode !== 200) rej(new Error(`GET ${path}: ${r.statusCode} ${body.slice(0, 200)}`));
            else res(JSON.parse(body) as Json);
          });
        },
      );
      req.on('error', rej);
    });
  return { get, close: () => agent.destroy() };
}

/** Every schema name a schema refers to, transitively. */
function reachable(all: Record<string, Schema>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') add(x.replace('#/components/schemas/', ''));
        else visit(x);
      }
    }
  };
  const add = (name: string) => {
    if (seen.has(name)) return;
    const s = all[name];
    if (!s) throw new Error(`schema ${name} is referred to but not served`);
    seen.add(name);
    visit(s);
  };
  roots.forEach(add);
  return seen;
}

async function captureBuiltins(kubeconfig: string): Promise<void> {
  const { get, close } = client(kubeconfig);
  try {
    const version = (await get('/version')) as { gitVersion: string };
    const index = (await get('/openapi/v3')) as { paths: Record<string, { serverRelativeURL: string }> };
    const served = BUILTIN_TYPES.filter((t) => !t.readOnly);
    const gvs = [
      ...new Set(served.map((t) => (t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`))),
    ];
    const all: Record<string, Schema> = {};
    const kinds: Record<string, string> = {};
    for (const gv of gvs) {
      const entry = index.paths[gv];
      if (!entry) throw new Error(`kube-real does not serve ${gv}`);
      const doc = (await get(entry.serverRelativeURL)) as { components: { schemas: Record<string, Schema> } };
      Object.assign(all, doc.components.schemas);
      for (const [name, s] of Object.entries(doc.components.schemas)) {
        for (const gvk of (s['x-kubernetes-group-version-kind'] as
          { group: string; version: string; kind: string }[] | undefined) ?? []) {
          if (served.some((t) => t.group === gvk.group && t.version === gvk.version && t.kind === gvk.kind))
            kinds[`${gvk.group}/${gvk.version}/${gvk.kind}`] = name;
        }
      }
    }
    const missing = served.filter((t) => !kinds[`${t.group}/${t.version}/${t.kind}`]);
    if (missing.length > 0) throw new Error(`no schema for ${missing.map((t) => t.kind).join(', ')}`);
    const keep = reachable(all, Object.values(kinds));
    const schemas: Record<string, Schema> = {};
    for (const name of [...keep].sort()) schemas[name] = all[name] as Schema;
    const out = {
      kubernetesVersion: version.gitVersion,
      source: `kube-real (${version.gitVersion}): /openapi/v3 ${gvs.join(', ')}; components.schemas reachable from the kinds served`,
      kinds,
      schemas,
    };
    writeFileSync(join(outDir, 'builtin.json'), JSON.stringify(out));
    console.log(
      `builtin.json: ${Object.keys(kinds).length} kinds, ${keep.size} schemas, Kubernetes ${version.gitVersion}`,
    );
  } finally {
    close();
  }
}

captureCrds();
if (!process.argv.includes('--crds-only')) {
  const given = arg('kubeconfig');
  const plane = given ? undefined : await startPlane();
  try {
    await captureBuiltins(given ?? (plane as { kubeconfig: string }).kubeconfig);
  } finally {
    await plane?.stop();
  }
}
