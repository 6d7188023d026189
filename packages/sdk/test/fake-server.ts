import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter, type Caller, type Services } from '../src/contract/index.ts';
import { ProjectId, TokenId, UserId } from '../src/schemas/index.ts';

export const token = 'fake-token-for-client-tests';
export const projectId = ProjectId.parse(`proj_${'a'.repeat(20)}`);
export const url = 'http://uncloud.test';

const caller: Caller = {
  userId: UserId.parse(`usr_${'a'.repeat(20)}`),
  name: 'tester',
  isAdmin: false,
  tokenId: TokenId.parse(`tok_${'a'.repeat(20)}`),
  tokenPrefix: 'fake-to',
  readOnly: false,
  projectIds: null,
  tokenExpiresAt: null,
};

/** Services a test needs beyond authentication and project access; the rest are absent. */
export type FakeServices = { [K in keyof Services]?: Partial<Services[K]> };

/**
 * The real contract (router, middlewares, error formatter) over fake services, served in-process
 * through a `fetch` the client is given: what the client sees is exactly what a server would send.
 */
export const fakeServer = (services: FakeServices) => {
  const all = {
    ...services,
    auth: { authenticate: (t: string) => (t === token ? caller : null), ...services.auth },
    projects: {
      access: (c: Caller, id: ProjectId) => ({ caller: c, projectId: id, role: 'owner' }),
      ...services.projects,
    },
    // Every mutation is recorded; the client's tests have no log to keep.
    audit: { record: () => undefined, ...services.audit },
  } as unknown as Services;
  const requests: Request[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const req = new Request(input, init);
    requests.push(req.clone());
    return fetchRequestHandler({
      endpoint: '/trpc',
      req,
      router: appRouter,
      createContext: () => ({
        token: req.headers.get('authorization')?.replace(/^Bearer /, '') ?? null,
        services: all,
      }),
    });
  };
  return { fetch, requests };
};

/** Ids of a kind with a counter in them, valid for the schemas. */
export const fakeId = (prefix: string, n: number) => `${prefix}_${String(n).padStart(20, '0')}`;
