import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { ErrorCode, type UncloudClient } from '@uncloud/sdk';
import { type BadInput, badInputs, bodyOf, fieldsOf, summarize } from './bad-inputs.ts';
import {
  type Answer,
  type Procedure,
  type Targets,
  callProcedure,
  createResources,
  ghostTargets,
  missingRecipes,
  procedures,
  seedDatabaseBackup,
} from './procedures.ts';

/**
 * Every mutation of the API, called by a signed-in owner with generated bad and edge-case inputs:
 * no answer may be a server error, and every refusal says what was wrong in our error shape.
 * The generator is seeded: a failure prints the seed, the procedure and the input, and
 * `FUZZ_SEED=<seed> npx vitest run test/fuzz.test.ts` replays the run.
 */

const seed = Number(process.env.FUZZ_SEED ?? 20_261_216);
/** Cases per mutation: about 1 500 calls in all, some 10 s on two idle cores. */
const CASES = 32;

let stack: Stack;
let owner: UncloudClient;
let ownerAuth: string;
let adminAuth: string;
let targets: Targets;
/** Real ids of every kind, to put where they do not belong. */
let realIds: string[];

beforeAll(async () => {
  stack = await startStack({ cluster: false });
  const admin = stack.client;
  const created = await admin.users.create.mutate({ name: 'fuzz-owner' });
  owner = stack.clientWith(created.token.token);
  ownerAuth = `Bearer ${created.token.token}`;
  adminAuth = `Bearer ${stack.adminToken}`;
  const project = await owner.projects.create.mutate({ name: 'fuzz' });
  const r = await createResources(owner, project.id, 'fuzz', { env: 'FUZZ=1', userData: '#cloud-config\n' });
  const target = await admin.users.create.mutate({ name: 'fuzz-target' });
  const spare = await owner.tokens.create.mutate({ name: 'spare' });
  targets = {
    projectId: project.id,
    dropletId: r.droplet.id,
    volumeId: r.volume.id,
    appId: r.app.id,
    databaseId: r.database.id,
    firewallId: r.firewall.id,
    loadBalancerId: r.loadBalancer.id,
    reservedIpId: r.reservedIp.id,
    snapshotId: r.snapshot.id,
    bucketId: r.bucket.id,
    databaseBackupId: seedDatabaseBackup(
      stack.api.store,
      { projectId: project.id, databaseId: r.database.id, bucketId: r.bucket.id },
      'fuzz-backup',
    ),
    sshKeyId: r.sshKey.id,
    actionId: r.action.id,
    userId: target.user.id,
    tokenId: spare.id,
  };
  const other = await admin.projects.create.mutate({ name: 'fuzz-other' });
  realIds = [...Object.values(targets), ...Object.values(ghostTargets()), other.id];
}, 60_000);
afterAll(() => stack?.close());

const codes = new Set<string>(ErrorCode.options);

/** What is wrong with an answer to a bad input, if anything. */
const problemWith = (answer: Answer): string | null => {
  if (answer.status >= 500) return `server error ${answer.status}`;
  if (answer.status < 400) return null;
  const { error } = answer;
  if (!error) return `a ${answer.status} without the JSON error shape`;
  if (error.data.httpStatus !== answer.status)
    return `a ${answer.status} whose error says httpStatus ${error.data.httpStatus}`;
  if (!codes.has(error.data.code) || error.data.code === 'INTERNAL_SERVER_ERROR')
    return `a ${answer.status} with code ${error.data.code}`;
  if (typeof error.message !== 'string' || error.message.trim().split(/\s+/).length < 3)
    return `a ${answer.status} with no message that says what is wrong`;
  // A refused input names the field at fault, or says in words what to send instead.
  if (error.data.code === 'BAD_REQUEST' && !error.data.field && !/send|must|expect|json/i.test(error.message))
    return 'a BAD_REQUEST that names no field and says nothing of what to send';
  return null;
};

/** Administrators' procedures are fuzzed as an administrator, so that the input is looked at. */
const callerFor = (p: Procedure) =>
  p.recipe?.access === 'admin' || p.recipe?.access === 'project-admin' ? adminAuth : ownerAuth;

// Deletes and sign-outs last, so that the resources they take stay for the other mutations.
const destructive = /\.(delete|disable|removeMember|revoke|revokeToken)$/;

describe('fuzzing every mutation', () => {
  it('has a recipe for every procedure of the router', () => {
    expect(missingRecipes()).toEqual([]);
  });

  it('counts a server error, a bare refusal and a refusal naming nothing as failures', () => {
    const answer = (status: number, error?: Answer['error']): Answer => ({ status, body: '', error });
    const refusal = (code: string, message: string, field?: string) =>
      answer(400, { message, data: { code, httpStatus: 400, ...(field ? { field } : {}) } });
    expect(problemWith(answer(500))).toBe('server error 500');
    expect(problemWith(answer(413))).toBe('a 413 without the JSON error shape');
    expect(problemWith(refusal('INTERNAL_SERVER_ERROR', 'Internal server error'))).toMatch(/code/);
    expect(problemWith(refusal('BAD_REQUEST', 'Bad Request'))).toMatch(/no message/);
    expect(problemWith(refusal('BAD_REQUEST', 'Invalid input somewhere'))).toMatch(/names no field/);
    expect(problemWith(refusal('BAD_REQUEST', 'Invalid input: name: too long', 'name'))).toBeNull();
    expect(problemWith(answer(200))).toBeNull();
  });

  it('answers bad and edge-case input with a 4xx that says what is wrong, never a 5xx', async () => {
    const mutations = procedures()
      .filter((p) => p.type === 'mutation' && p.recipe)
      .sort((a, b) => Number(destructive.test(a.path)) - Number(destructive.test(b.path)));
    const failures: string[] = [];
    let calls = 0;
    let refused = 0;
    for (const [index, p] of mutations.entries()) {
      const valid = p.recipe!.input(targets, `fuzz-${index}`);
      const cases = fc.sample(badInputs(valid, fieldsOf(p.inputs), realIds), {
        seed: seed + index,
        numRuns: CASES,
      });
      for (const [n, bad] of cases.entries()) {
        const answer = await callProcedure(stack.url, p, { authorization: callerFor(p), body: bodyOf(bad) });
        calls++;
        if (answer.status >= 400) refused++;
        const problem = problemWith(answer);
        if (problem) failures.push(report(p, bad, n, problem, answer));
      }
    }
    console.log(
      `fuzz: ${calls} calls over ${mutations.length} mutations, ${failures.filter((f) => f.includes('server error')).length} × 5xx, ${refused} refused (seed ${seed})`,
    );
    expect(failures).toEqual([]);
    // Nothing above broke the server: it still answers, and the owner is still signed in.
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    expect((await owner.auth.whoami.query()).user.name).toBe('fuzz-owner');
  }, 120_000);
});

const report = (p: Procedure, bad: BadInput, n: number, problem: string, answer: Answer) =>
  `${p.path} case ${n} (seed ${seed}): ${problem} for ${bad.label}; answered ${summarize(answer.body)}`;
