import { render } from '@testing-library/react';
import type * as React from 'react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router';
import { ApiProvider, createQueryClient } from '../app/api-provider.tsx';
import { ActionTray } from '../components/action-tray.tsx';
import { createApiClient } from '../lib/trpc.ts';
import { fakeApi, whoami, type FakeAnswer } from './fake-api.ts';

/** The app renders nothing before whoami has answered; tests start from an owner unless they say otherwise. */
const withWhoami = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) => ({
  'auth.whoami': whoami,
  ...answers,
});

/**
 * Renders project pages as the app does (under `/p/:projectId`, with the action tray) against a
 * fake API. `routes` are `<Route>`s relative to the project; `path` is where the test starts.
 */
export const renderProjectRoutes = (
  answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>,
  path: string,
  routes: React.ReactNode,
) => {
  const fetch = fakeApi(withWhoami(answers));
  const result = render(
    <ApiProvider
      client={createApiClient({ getToken: () => 't', url: 'http://api.test/trpc', fetch })}
      queryClient={createQueryClient()}
    >
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route
            path="/p/:projectId"
            element={
              <>
                <Outlet />
                <ActionTray />
              </>
            }
          >
            {routes}
          </Route>
        </Routes>
      </MemoryRouter>
    </ApiProvider>,
  );
  return { fetch, ...result };
};

/** Renders a component outside any project (account pages, cards given their data) against a fake API. */
export const renderWithApi = (
  answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>,
  ui: React.ReactNode,
) => {
  const fetch = fakeApi(withWhoami(answers));
  const result = render(
    <ApiProvider
      client={createApiClient({ getToken: () => 't', url: 'http://api.test/trpc', fetch })}
      queryClient={createQueryClient()}
    >
      <MemoryRouter>{ui}</MemoryRouter>
    </ApiProvider>,
  );
  return { fetch, ...result };
};

/** The inputs a procedure was called with, in order, from the fake API's record of requests. */
export const callsTo = (fetch: ReturnType<typeof fakeApi>, procedure: string): unknown[] =>
  fetch.mock.calls.flatMap(([url, init]) => {
    const u = new URL(String(url), 'http://api.test');
    const paths = decodeURIComponent(u.pathname.replace(/^.*\/trpc\//, '')).split(',');
    const raw = init?.body ? String(init.body) : (u.searchParams.get('input') ?? 'null');
    const inputs = JSON.parse(raw) as Record<string, unknown> | null;
    const batched = u.searchParams.get('batch') === '1';
    return paths.flatMap((p, i) => (p === procedure ? [batched ? inputs?.[i] : inputs] : []));
  });

/** The text of the error or hint elements that describe a control (its `aria-describedby`). */
export const descriptionOf = (control: HTMLElement) =>
  (control.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent)
    .join(' ');
