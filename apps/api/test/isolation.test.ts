import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { tables } from '@uncloud/db';
import type { UncloudClient } from '@uncloud/sdk';
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
  takesProject,
  targetEntries,
} from './procedures.ts';

/**
 * Every procedure of the API × every kind of caller who has no business with a victim project,
 * aimed at that project's real resources. The rule the API follows, encoded below:
 * - a caller who is not signed in (no token; a malformed, revoked or expired token; a disabled
 *   user's token) gets 401;
 * - a signed-in caller outside the project (or with a token limited to another project) gets exactly
 *   what a nonexistent id gets (404 naming the field): the answer does not tell whether the project
 *   or the resource exists;
 * - a caller whose role or token is too weak (a viewer writing or reading secrets, a read-only token
 *   changing anything, anyone but an administrator on administrators' procedures) gets 403;
 * - what a caller may do (their own tokens and projects, the catalogue, a viewer's reads) answers
 *   without the victim's secrets, and for an outsider without any of the victim's data.
 */

const secrets = {
  env: 'postgres://vault:hunter2-isolation-env@db.internal:5432/vault',
  userData: '#cloud-config\nruncmd:\n  - echo sk_live_isolation_userdata > /etc/key\n',
};

/**
 * `anonymous`: not signed in; `outsider`: signed in, but not into the project; `viewer`: the
 * project's viewer; `read-only`: one of its owners, with a token that may only read.
 */
type CallerClass = 'anonymous' | 'outsider' | 'viewer' | 'read-only';

interface Caller {
  name: string;
  class: CallerClass;
  authorization: string | undefined;
  /** A project of the caller's own, to aim at the victim's resources from (`projectId` mixing). */
  ownProject?: Targets['projectId'];
}

let stack: Stack;
let victim: Targets;
/** Everything of the victim's an outsider must never see, and the secrets a viewer must never see. */
let victimData: string[];
let victimSecrets: string[];
let callers: Caller[];
let owner: UncloudClient;

beforeAll(async () => {
  // Hundreds of bad tokens from one address on purpose: the failed sign-in limit must not answer first.
  stack = await startStack({
    cluster: false,
    limits: { authFailureBurst: 100_000, authFailuresPerMinute: 100_000 },
  });
  const admin = stack.client;
  const newUser = async (name: string) => {
    const { user, token } = await admin.users.create.mutate({ name, email: `${name}@example.com` });
    return { id: user.id, token: token.token, client: stack.clientWith(token.token) };
  };

  const victor = await newUser('victor-vault');
  owner = victor.client;
  const project = await owner.projects.create.mutate({
    name: 'vault-q7x',
    description: 'vault-secret-plans',
  });
  const projectId = project.id;
  const { sshKey, volume, droplet, app, database, firewall, loadBalancer, reservedIp, action, snapshot, bucket } =
    await createResources(
    owner,
    projectId,
    'vault',
    secrets,
  );
  const [token] = await owner.tokens.list.query();
  victim = {
    projectId,
    dropletId: droplet.id,
    volumeId: volume.id,
    appId: app.id,
    databaseId: database.id,
    firewallId: firewall.id,
    loadBalancerId: loadBalancer.id,
    reservedIpId: reservedIp.id,
    snapshotId: snapshot.id,
    bucketId: bucket.id,
    databaseBackupId: seedDatabaseBackup(stack.api.store, { projectId, databaseId: database.id, bucketId: bucket.id }, 'vault-backup'),
    sshKeyId: sshKey.id,
    actionId: action.id,
    userId: victor.id,
    tokenId: token!.id,
  };
  victimSecrets = [secrets.env, 'hunter2-isolation-env', 'sk_live_isolation_userdata', victor.token];
  victimData = [
    ...Object.values(victim),
    ...victimSecrets,
    'vault-q7x',
    'vault-secret-plans',
    'vault-key',
    'vault-vol',
    'vault-web',
    'vault-tag',
    'vault-api',
    'vault-db',
    'vault-fw',
    '203.0.113.7',
    sshKey.fingerprint,
    'vault@example.com',
    'victor-vault',
  ];

  // Callers who are signed in, but elsewhere: the owner and a member of another project.
  const olga = await newUser('olga-outside');
  const otto = await newUser('otto-outside');
  const elsewhere = await olga.client.projects.create.mutate({ name: 'elsewhere' });
  await olga.client.projects.addMember.mutate({ projectId: elsewhere.id, userId: otto.id, role: 'member' });
  // Callers of the victim's own project.
  const vera = await newUser('vera-viewer');
  await owner.projects.addMember.mutate({ projectId, userId: vera.id, role: 'viewer' });
  const veras = await vera.client.projects.create.mutate({ name: 'vera-own' });
  const rex = await newUser('rex-revoked');
  await owner.projects.addMember.mutate({ projectId, userId: rex.id, role: 'member' });
  const [rexToken] = await rex.client.tokens.list.query();
  await admin.users.revokeToken.mutate({ userId: rex.id, id: rexToken!.id });
  const dina = await newUser('dina-disabled');
  await owner.projects.addMember.mutate({ projectId, userId: dina.id, role: 'owner' });
  await admin.users.disable.mutate({ userId: dina.id });
  // Tokens of the project's owners that must not work here: expired, limited to another project,
  // read-only (for changes).
  const eve = await newUser('eve-expired');
  await owner.projects.addMember.mutate({ projectId, userId: eve.id, role: 'owner' });
  const expired = await eve.client.tokens.create.mutate({ name: 'expired', expiresInDays: 1 });
  stack.api.store.db
    .update(tables.apiTokens)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(tables.apiTokens.id, expired.id))
    .run();
  const sam = await newUser('sam-scoped');
  await owner.projects.addMember.mutate({ projectId, userId: sam.id, role: 'owner' });
  const sams = await sam.client.projects.create.mutate({ name: 'sam-own' });
  const scoped = await sam.client.tokens.create.mutate({ name: 'scoped', projectIds: [sams.id] });
  // An administrator's token limited to a project of theirs carries no administrator powers.
  const admins = await admin.projects.create.mutate({ name: 'admin-own' });
  const adminScoped = await admin.tokens.create.mutate({ name: 'scoped', projectIds: [admins.id] });
  const rita = await newUser('rita-read-only');
  await owner.projects.addMember.mutate({ projectId, userId: rita.id, role: 'owner' });
  const readOnly = await rita.client.tokens.create.mutate({ name: 'read-only', readOnly: true });

  const bearer = (token: string) => `Bearer ${token}`;
  callers = [
    {
      name: 'owner of another project',
      class: 'outsider',
      authorization: bearer(olga.token),
      ownProject: elsewhere.id,
    },
    {
      name: 'member of another project',
      class: 'outsider',
      authorization: bearer(otto.token),
      ownProject: elsewhere.id,
    },
    {
      name: 'viewer of the project',
      class: 'viewer',
      authorization: bearer(vera.token),
      ownProject: veras.id,
    },
    { name: 'no token', class: 'anonymous', authorization: undefined },
    { name: 'malformed token', class: 'anonymous', authorization: 'Bearer uc_%%not-a-token%%' },
    { name: "a project member's revoked token", class: 'anonymous', authorization: bearer(rex.token) },
    { name: "a disabled project owner's token", class: 'anonymous', authorization: bearer(dina.token) },
    { name: "a project owner's expired token", class: 'anonymous', authorization: bearer(expired.token) },
    {
      name: "a project owner's token limited to another project",
      class: 'outsider',
      authorization: bearer(scoped.token),
      ownProject: sams.id,
    },
    {
      name: "an administrator's token limited to another project",
      class: 'outsider',
      authorization: bearer(adminScoped.token),
      ownProject: admins.id,
    },
    { name: "a project owner's read-only token", class: 'read-only', authorization: bearer(readOnly.token) },
  ];
}, 60_000);
afterAll(() => stack?.close());

/** The strings of `needles` in `body` that the caller did not send themselves. */
const found = (body: string, needles: string[], sent: string) =>
  needles.filter((needle) => body.includes(needle) && !sent.includes(needle));

/** An answer with every target id replaced by its role, so that two answers can be compared. */
const shape = (answer: Answer, t: Targets) => {
  let text = `${answer.status} ${answer.error?.data.code} ${answer.error?.data.field} ${answer.error?.message}`;
  for (const [key, id] of targetEntries(t)) text = text.replaceAll(id, `<${key}>`);
  return text;
};

const refusal = (answer: Answer, status: number, code: string) =>
  answer.status === status && answer.error?.data.code === code;

/** The victim's project and resources as its owner reads them. */
const victimResources = () => {
  const ref = <Id>(id: Id) => ({ projectId: victim.projectId, id });
  return Promise.all([
    owner.projects.get.query({ projectId: victim.projectId }),
    owner.droplets.get.query(ref(victim.dropletId)),
    owner.volumes.get.query(ref(victim.volumeId)),
    owner.apps.get.query(ref(victim.appId)),
    owner.databases.get.query(ref(victim.databaseId)),
    owner.firewalls.get.query(ref(victim.firewallId)),
    owner.loadBalancers.get.query(ref(victim.loadBalancerId)),
    owner.buckets.get.query(ref(victim.bucketId)),
    owner.sshKeys.get.query(ref(victim.sshKeyId)),
    owner.quotas.get.query({ projectId: victim.projectId }),
    owner.projects.members.query({ projectId: victim.projectId }),
  ]);
};

describe('project isolation', () => {
  it('has a recipe for every procedure of the router', () => {
    expect(missingRecipes()).toEqual([]);
  });

  it('aims every recipe at the victim with an input the procedure accepts', () => {
    for (const p of procedures()) {
      if (!p.recipe) continue;
      const input = p.recipe.input(victim, 'iso-valid');
      for (const schema of p.inputs) {
        const parsed = schema.safeParse(input);
        expect(parsed.error?.issues, p.path).toBeUndefined();
      }
    }
  });

  it("finds the victim's secrets in the victim's own answers (the scan below can see them)", async () => {
    const own = [
      await owner.apps.get.query({ projectId: victim.projectId, id: victim.appId }),
      await owner.droplets.get.query({ projectId: victim.projectId, id: victim.dropletId }),
    ];
    expect(found(JSON.stringify(own), victimSecrets, '')).toEqual([
      secrets.env,
      'hunter2-isolation-env',
      'sk_live_isolation_userdata',
    ]);
  });

  it('refuses every caller who has no business with a project, and leaks none of its data', async () => {
    const all = procedures();
    const before = await victimResources();
    const problems: string[] = [];
    let refusals = 0;
    let leaks = 0;
    let mixedCalls = 0;
    const check = async (p: Procedure, caller: Caller) => {
      const recipe = p.recipe!;
      const input = recipe.input(victim, `iso-${Math.random().toString(36).slice(2, 10)}`);
      const sent = JSON.stringify(input ?? null);
      const answer = await callProcedure(stack.url, p, { authorization: caller.authorization, input });
      const where = `${p.path} by ${caller.name}: ${answer.status} ${answer.body.slice(0, 300)}`;
      // A viewer may see the project but not its secrets; a read-only owner may see it all.
      const forbidden = {
        viewer: victimSecrets,
        'read-only': [],
        outsider: victimData,
        anonymous: victimData,
      };
      const leaked = found(answer.body, forbidden[caller.class], sent);
      if (leaked.length > 0) {
        leaks++;
        problems.push(`LEAK of ${leaked.join(', ')} in ${where}`);
      }
      if (answer.status >= 400) refusals++;
      if (answer.status >= 500) problems.push(`server error in ${where}`);

      if (caller.class === 'anonymous') {
        if (!refusal(answer, 401, 'UNAUTHORIZED')) problems.push(`expected 401 UNAUTHORIZED in ${where}`);
        return;
      }
      const access = recipe.access;
      if (caller.class === 'read-only') {
        // It changes nothing, and reads what its owner may: a query gets past the door (though it may
        // still fail on its own terms, e.g. credentials of a database that is not running yet).
        const ok =
          p.type === 'mutation' || access === 'admin'
            ? refusal(answer, 403, 'FORBIDDEN')
            : ![401, 403, 404].includes(answer.status) && answer.status < 500;
        if (!ok) problems.push(`expected ${p.type === 'mutation' ? '403 FORBIDDEN' : 'a read'} in ${where}`);
        return;
      }
      if (access === 'admin') {
        if (!refusal(answer, 403, 'FORBIDDEN')) problems.push(`expected 403 FORBIDDEN in ${where}`);
        return;
      }
      if (caller.class === 'viewer' && access !== 'own') {
        const ok = access === 'project-read' ? answer.status === 200 : refusal(answer, 403, 'FORBIDDEN');
        if (!ok) problems.push(`expected ${access === 'project-read' ? '200' : '403 FORBIDDEN'} in ${where}`);
        return;
      }
      if (access !== 'own' && !refusal(answer, 404, 'NOT_FOUND')) {
        problems.push(`expected 404 NOT_FOUND, as for an id that does not exist, in ${where}`);
      }
      // What the caller may do succeeds; a refusal must be the one a nonexistent id gets.
      if (answer.status >= 300) {
        const ghost = ghostTargets();
        const other = await callProcedure(stack.url, p, {
          authorization: caller.authorization,
          input: recipe.input(ghost, `iso-${Math.random().toString(36).slice(2, 10)}`),
        });
        if (shape(answer, victim) !== shape(other, ghost))
          problems.push(
            `existence leak in ${p.path} by ${caller.name}: "${shape(answer, victim)}" for real ids, "${shape(other, ghost)}" for ids of nothing`,
          );
      }
    };

    /**
     * The victim's resources named from a project the caller may use: they must answer as
     * resources that do not exist (ids of users and tokens are not a project's, so they stay ghosts).
     */
    const fromOwnProject = async (p: Procedure, caller: Caller) => {
      const recipe = p.recipe!;
      const resources = (t: Targets) => [
        t.dropletId,
        t.volumeId,
        t.appId,
        t.databaseId,
        t.firewallId,
        t.bucketId,
        t.sshKeyId,
        t.actionId,
      ];
      const ghost = { ...ghostTargets(), projectId: caller.ownProject! };
      const mixed = {
        ...ghost,
        ...victim,
        userId: ghost.userId,
        tokenId: ghost.tokenId,
        projectId: caller.ownProject!,
      };
      const input = recipe.input(mixed, `iso-${Math.random().toString(36).slice(2, 10)}`);
      const sent = JSON.stringify(input ?? null);
      // Only procedures that name a resource: the rest would act on the caller's own project alone.
      if (!resources(victim).some((id) => sent.includes(id))) return;
      mixedCalls++;
      const answer = await callProcedure(stack.url, p, { authorization: caller.authorization, input });
      const other = await callProcedure(stack.url, p, {
        authorization: caller.authorization,
        input: recipe.input(ghost, `iso-${Math.random().toString(36).slice(2, 10)}`),
      });
      const where = `${p.path} by ${caller.name} from their own project: ${answer.status} ${answer.body.slice(0, 300)}`;
      const leaked = found(answer.body, victimData, sent);
      if (leaked.length > 0) {
        leaks++;
        problems.push(`LEAK of ${leaked.join(', ')} in ${where}`);
      }
      if (answer.status >= 400) refusals++;
      const bothFine = answer.status < 300 && other.status < 300;
      if (!bothFine && shape(answer, mixed) !== shape(other, ghost))
        problems.push(
          `existence leak in ${where}: "${shape(answer, mixed)}" for the victim's ids, "${shape(other, ghost)}" for ids of nothing`,
        );
    };

    for (const p of all) {
      if (!p.recipe) continue;
      expect(takesProject(p), `${p.path}: its access and its input disagree on a project`).toBe(
        p.recipe.access.startsWith('project-'),
      );
      for (const caller of callers) await check(p, caller);
      if (p.recipe.access !== 'own' && p.recipe.access !== 'admin')
        for (const caller of callers) if (caller.ownProject) await fromOwnProject(p, caller);
    }
    console.log(
      `isolation: ${all.length} calls × ${callers.length} callers, ${refusals} refusals, ${leaks} leaks (and ${mixedCalls} calls naming the victim's resources from the caller's own project)`,
    );
    expect(problems).toEqual([]);
    // Everything the victim had is still there, unchanged, and the owner's token still works.
    expect(await victimResources()).toEqual(before);
  }, 90_000);
});
