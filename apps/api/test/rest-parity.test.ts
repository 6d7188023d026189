import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { ProjectId } from '@uncloud/sdk';
import { type RestError, type RestRoute, restRoutes } from '@uncloud/sdk/contract';
import { type Procedure, type Targets, callProcedure, ghostTargets, procedures } from './procedures.ts';

/**
 * Every procedure called through both doors, `/trpc` and `/api/v1`, with the same input: the
 * answers must agree (both succeed, or both refuse with the same status, code, field and message).
 * Each door acts in a project of its own that lives the same history, so that what one call
 * changes cannot decide the other's answer. Every other id names nothing: the full input is read
 * and checked, and a field the REST mapping lost (a path parameter, a query field, a body field)
 * would answer BAD_REQUEST on one door and NOT_FOUND on the other.
 */

let stack: Stack;
const projects = {} as Record<'rest' | 'trpc', ProjectId>;

beforeAll(async () => {
  stack = await startStack({ cluster: false });
  projects.rest = (await stack.client.projects.create.mutate({ name: 'via-rest' })).id;
  projects.trpc = (await stack.client.projects.create.mutate({ name: 'via-trpc' })).id;
});
afterAll(() => stack?.close());

interface Outcome {
  ok: boolean;
  status: number;
  code?: string | undefined;
  field?: string | undefined;
  message?: string | undefined;
}

const viaRest = async (route: RestRoute, input: unknown): Promise<Outcome> => {
  const fields = { ...(input as Record<string, unknown> | undefined) };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = String(fields[name]);
    delete fields[name];
    return encodeURIComponent(value);
  });
  const url = new URL(`${stack.url}/api/v1${path}`);
  const inQuery = route.method === 'get' || route.method === 'delete';
  if (inQuery) for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, String(value));
  const response = await fetch(url, {
    method: route.method.toUpperCase(),
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    ...(inQuery ? {} : { body: JSON.stringify(route.action ? { type: route.action, ...fields } : fields) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.ok) return { ok: true, status: response.status };
  const error = JSON.parse(text) as RestError;
  return { ok: false, status: response.status, code: error.code, field: error.field, message: error.message };
};

const viaTrpc = async (procedure: Procedure, input: unknown): Promise<Outcome> => {
  const answer = await callProcedure(stack.url, procedure, {
    authorization: `Bearer ${stack.adminToken}`,
    input,
  });
  if (!answer.error) return { ok: true, status: answer.status };
  const { message, data } = answer.error;
  return { ok: false, status: answer.status, code: data.code, field: data.field, message };
};

/** An answer with the door's own project id and names in words, so that the two compare. */
const plain = (outcome: Outcome, door: 'rest' | 'trpc'): Outcome => ({
  ...outcome,
  // Successes differ in status by design (201 for a creation, 204 for nothing to say).
  status: outcome.ok ? 200 : outcome.status,
  message: outcome.message?.replaceAll(projects[door], '<project>').replaceAll(`${door}-`, '<door>-'),
});

// Deleting the project ends every later call's chances; it goes last.
const ordered = () =>
  procedures().sort((a, b) => Number(a.path === 'projects.delete') - Number(b.path === 'projects.delete'));

describe('REST and tRPC answer alike', () => {
  it('for every procedure, with real projects and ids of nothing', { timeout: 120_000 }, async () => {
    const ghosts = ghostTargets();
    const differences: string[] = [];
    let compared = 0;
    for (const procedure of ordered()) {
      const route = (restRoutes as Record<string, RestRoute>)[procedure.path];
      if (!route || !procedure.recipe) {
        differences.push(`${procedure.path}: no route or recipe`);
        continue;
      }
      const inputFor = (door: 'rest' | 'trpc') =>
        procedure.recipe!.input({ ...ghosts, projectId: projects[door] } as Targets, `${door}-${compared}`);
      const rest = plain(await viaRest(route, inputFor('rest')), 'rest');
      const trpc = plain(await viaTrpc(procedure, inputFor('trpc')), 'trpc');
      compared++;
      if (JSON.stringify(rest) !== JSON.stringify(trpc))
        differences.push(`${procedure.path}: REST ${JSON.stringify(rest)} ≠ tRPC ${JSON.stringify(trpc)}`);
    }
    expect(differences).toEqual([]);
    expect(compared).toBe(Object.keys(restRoutes).length);
  });
});
