import { vi } from 'vitest';

/** What a procedure answers: a result, or an error as the API's error formatter shapes it. */
export type FakeAnswer =
  { data: unknown } | { error: { message: string; status: number; data: Record<string, unknown> } };

/**
 * A stand-in for the API's `/trpc` endpoint, for component tests: answers each procedure (batched or
 * not) from `answers`, and records every call with its path and headers.
 */
export const fakeApi = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) =>
  vi.fn<typeof fetch>(async (url, init) => {
    const u = new URL(String(url), 'http://api.test');
    const paths = decodeURIComponent(u.pathname.replace(/^.*\/trpc\//, '')).split(',');
    const batched = u.searchParams.get('batch') === '1';
    const rawInput = init?.body ? String(init.body) : (u.searchParams.get('input') ?? 'null');
    const inputs = JSON.parse(rawInput) as Record<string, unknown> | null;
    const replies = paths.map((path, i) => {
      const answer = answers[path];
      if (!answer)
        return {
          status: 404,
          body: {
            error: {
              message: `no procedure ${path}`,
              code: -32004,
              data: { code: 'NOT_FOUND', httpStatus: 404, path },
            },
          },
        };
      const a = typeof answer === 'function' ? answer(batched ? inputs?.[i] : inputs) : answer;
      if ('error' in a)
        return {
          status: a.error.status,
          body: {
            error: {
              message: a.error.message,
              code: -32000,
              data: { httpStatus: a.error.status, path, ...a.error.data },
            },
          },
        };
      return { status: 200, body: { result: { data: a.data } } };
    });
    const status = replies.every((r) => r.status === replies[0]?.status) ? (replies[0]?.status ?? 200) : 207;
    const body = batched ? replies.map((r) => r.body) : replies[0]?.body;
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });

export const unauthorized: FakeAnswer = {
  error: {
    message: 'Send a valid API token as "Authorization: Bearer <token>"',
    status: 401,
    data: { code: 'UNAUTHORIZED' },
  },
};

export const emptyPage: FakeAnswer = { data: { items: [], nextCursor: null } };

export const projectId = 'proj_0123456789abcdefghij';

export const whoami: FakeAnswer = {
  data: {
    user: {
      id: 'usr_0123456789abcdefghij',
      name: 'ada',
      email: null,
      isAdmin: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      disabledAt: null,
    },
    projects: [{ id: projectId, name: 'shop', role: 'owner' }],
    token: {
      id: 'tok_0123456789abcdefghij',
      prefix: 'uc_AbCd1234',
      expiresAt: null,
      readOnly: false,
      projectIds: null,
    },
  },
};

interface WhoamiData {
  user: object;
  projects: Array<{ id: string; name: string }>;
  token: { readOnly: boolean; projectIds: string[] | null };
}

/**
 * whoami for a caller with `role` in the test project, administrator or not, signed in with a
 * token that may be read-only or limited to projects.
 */
export const whoamiAs = (
  role: 'viewer' | 'member' | 'owner',
  isAdmin = false,
  token: Partial<WhoamiData['token']> = {},
): FakeAnswer => {
  const data = (whoami as { data: WhoamiData }).data;
  return {
    data: {
      user: { ...data.user, isAdmin },
      projects: data.projects.map((p) => ({ ...p, role })),
      token: { ...data.token, ...token },
    },
  };
};
