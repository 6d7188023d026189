import { render } from '@testing-library/react';
import { allResourceKinds, routerOf, type Quota, type SyncStatus, type UsageSeries } from '@uncloud/sdk';
import type * as React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { ApiProvider, createQueryClient } from '../../app/api-provider.tsx';
import { createApiClient } from '../../lib/trpc.ts';
import { emptyPage, fakeApi, projectId, whoami, type FakeAnswer } from '../../test/fake-api.ts';

type Answers = Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>;

export const adminWhoami: FakeAnswer = {
  data: {
    ...(whoami as { data: { user: object } }).data,
    user: { ...(whoami as { data: { user: object } }).data.user, name: 'root', isAdmin: true },
  },
};

export const quota = (
  usage: Partial<Quota['usage']> = {},
  clusterUsage: Quota['clusterUsage'] = null,
): Quota =>
  ({
    projectId,
    droplets: 25,
    vcpus: 50,
    memoryMiB: 102400,
    volumeGiB: 1000,
    apps: 25,
    databases: 10,
    loadBalancers: 10,
    usage: {
      droplets: 0,
      vcpus: 0,
      memoryMiB: 0,
      volumeGiB: 0,
      apps: 0,
      databases: 0,
      loadBalancers: 0,
      ...usage,
    },
    clusterUsage,
    state: 'active',
    generation: 1,
    observedGeneration: 1,
    observedAt: new Date().toISOString(),
    syncState: 'synced',
    syncError: null,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  }) as Quota;

export const syncStatus = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  clusterMode: 'simulated',
  clusterSource: 'embedded',
  installationId: 'ins_0123456789abcdefghjkmnpq',
  orphansWithheld: 0,
  otherInstallationObjects: 0,
  leader: true,
  reachable: true,
  lastContactAt: new Date().toISOString(),
  lastResyncAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  lastResyncMs: 42,
  resyncIntervalMs: 15_000,
  queueDepth: 3,
  inFlight: 1,
  reconciles: 120,
  errors: 0,
  driftCorrected: 2,
  healthChecksUnanswered: false,
  ...over,
});

/** A series sampled once a minute, ending now. */
export const series = (
  kind: UsageSeries['resourceKind'],
  id: string,
  name: string,
  samples: Array<[cpuMillicores: number, memoryMiB: number]>,
  /** Minutes since the newest sample; past the sampling period the series has no current figure. */
  minutesAgo = 0,
): UsageSeries => {
  const points = samples.map(([cpuMillicores, memoryMiB], i) => ({
    at: new Date(Date.now() - (minutesAgo + samples.length - 1 - i) * 60_000).toISOString(),
    cpuMillicores,
    memoryMiB,
  }));
  return {
    resourceKind: kind,
    resourceId: id,
    name,
    points,
    current: minutesAgo === 0 ? (points.at(-1) ?? null) : null,
  };
};

/** What an empty project answers; tests override the procedures they are about. */
export const quietProject: Answers = {
  'auth.whoami': whoami,
  // Every kind's list, from the registry: a kind added later is empty here too.
  ...Object.fromEntries(allResourceKinds.map((kind) => [`${routerOf(kind)}.list`, emptyPage])),
  'quotas.get': { data: quota() },
  'usage.list': { data: [] },
  'actions.list': emptyPage,
  'sync.status': { data: syncStatus() },
};

/** Renders `element` at `/p/:projectId` against a fake API answering `answers` over `quietProject`. */
export const renderInProject = (element: React.ReactNode, answers: Answers = {}) => {
  const fetch = fakeApi({ ...quietProject, ...answers });
  const result = render(
    <ApiProvider
      client={createApiClient({ getToken: () => 't', url: 'http://api.test/trpc', fetch })}
      queryClient={createQueryClient()}
    >
      <MemoryRouter initialEntries={[`/p/${projectId}`]}>
        <Routes>
          <Route path="/p/:projectId" element={element} />
        </Routes>
      </MemoryRouter>
    </ApiProvider>,
  );
  return { fetch, ...result };
};
