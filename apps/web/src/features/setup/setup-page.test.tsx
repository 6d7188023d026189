import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Component, Preflight } from '@uncloud/sdk';
import { describe, expect, it } from 'vitest';
import { whoami, type FakeAnswer } from '../../test/fake-api.ts';
import { callsTo, renderWithApi } from '../../test/render.tsx';
import { ComponentsBanner } from './components-banner.tsx';
import { SetupPage } from './setup-page.tsx';

const me = (isAdmin: boolean): FakeAnswer => {
  const data = (whoami as { data: { user: object } }).data;
  return { data: { ...data, user: { ...data.user, name: 'root', isAdmin } } };
};

const component = (over: Partial<Component>): Component => ({
  name: 'kubevirt',
  title: 'KubeVirt',
  description: 'Runs droplets as virtual machines.',
  required: true,
  dependsOn: [],
  state: 'absent',
  managed: false,
  version: null,
  variant: null,
  installedVersion: null,
  available: [
    {
      version: 'v1.7.0',
      variant: null,
      sources: ['https://github.com/kubevirt/kubevirt/releases/download/v1.7.0/kubevirt-operator.yaml'],
      verified: true,
    },
  ],
  health: [],
  warnings: [],
  lastError: null,
  action: null,
  observedAt: null,
  ...over,
});

const preflight: Preflight = {
  checks: [
    { id: 'kubernetes-version', status: 'ok', message: 'Kubernetes v1.32.0+k3s1 (1.30 or later needed)' },
    {
      id: 'storage-class',
      status: 'failed',
      message: 'no default storage class: install the Storage class component',
    },
  ],
  k3s: {
    detected: true,
    version: 'v1.32.0+k3s1',
    pinnedVersion: 'v1.32.5+k3s1',
    installCommand: 'curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=v1.32.5+k3s1 sh -s - server',
    joinCommand: 'curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=v1.32.5+k3s1 K3S_URL=… sh -s - agent',
  },
  checkedAt: new Date().toISOString(),
};

describe('SetupPage', () => {
  it('shows each component with its state, health and last error, and the preflight', async () => {
    renderWithApi(
      {
        'auth.whoami': me(true),
        'components.preflight': { data: preflight },
        'components.list': {
          data: [
            component({}),
            component({
              name: 'cnpg',
              title: 'CloudNativePG',
              state: 'error',
              managed: true,
              version: '1.28.0',
              lastError:
                'the checksum of cnpg-1.28.0.yaml is ab…, not the recorded cd…: refusing to apply it',
              health: [
                {
                  object: 'Deployment cnpg-system/cnpg-controller-manager',
                  ready: false,
                  message: 'not found',
                },
              ],
            }),
          ],
        },
      },
      <SetupPage />,
    );
    const cnpg = await screen.findByLabelText('CloudNativePG');
    expect(within(cnpg).getByTestId('last-error').textContent).toMatch(/checksum .* refusing/);
    expect(within(cnpg).getByText('Deployment cnpg-system/cnpg-controller-manager')).toBeTruthy();
    expect(cnpg.querySelector('[data-state="error"]')).not.toBeNull();
    expect(await screen.findByText('k3s detected:', { exact: false })).toBeTruthy();
    expect(screen.getByText(/no default storage class/)).toBeTruthy();
  });

  it('installs a component after a confirmation that names the file it fetches', async () => {
    const { fetch } = renderWithApi(
      {
        'auth.whoami': me(true),
        'components.preflight': { data: preflight },
        'components.list': { data: [component({})] },
        'components.install': { data: component({ state: 'installing', managed: true, version: 'v1.7.0' }) },
      },
      <SetupPage />,
    );
    const card = await screen.findByLabelText('KubeVirt');
    await userEvent.click(within(card).getByRole('button', { name: 'Install' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText(/kubevirt-operator\.yaml/)).toBeTruthy();
    expect(callsTo(fetch, 'components.install')).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Install' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'components.install')).toEqual([{ name: 'kubevirt', version: 'v1.7.0' }]),
    );
  });

  it('follows the install in the action tray, as a system action, to its end', async () => {
    const action = {
      id: 'act_00000000000000000001',
      type: 'install' as const,
      status: 'in-progress' as const,
      version: 'v1.7.0',
      error: null,
      startedAt: new Date().toISOString(),
      completedAt: null,
    };
    let status: 'in-progress' | 'errored' = 'in-progress';
    const { fetch } = renderWithApi(
      {
        'auth.whoami': me(true),
        'components.preflight': { data: preflight },
        'components.list': { data: [component({})] },
        'components.install': {
          data: component({ state: 'installing', managed: true, version: 'v1.7.0', action }),
        },
        'systemActions.get': () => ({
          data: {
            id: action.id,
            projectId: null,
            type: 'install',
            resourceKind: 'component',
            resourceId: 'kubevirt',
            status,
            params: { version: 'v1.7.0' },
            error: status === 'errored' ? 'the checksum of kubevirt-operator.yaml differs' : null,
            startedAt: action.startedAt,
            completedAt: status === 'errored' ? new Date().toISOString() : null,
          },
        }),
      },
      <SetupPage />,
    );
    const card = await screen.findByLabelText('KubeVirt');
    await userEvent.click(within(card).getByRole('button', { name: 'Install' }));
    await userEvent.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Install' }),
    );
    const tray = await screen.findByRole('region', { name: 'Actions' });
    await waitFor(() => expect(within(tray).getByRole('status').textContent).toBe('KubeVirt: Installing…'));
    expect(callsTo(fetch, 'systemActions.get')[0]).toEqual({ id: action.id });
    status = 'errored';
    await waitFor(
      () =>
        expect(within(tray).getByRole('alert').textContent).toMatch(
          /^KubeVirt: Install failed: the checksum of kubevirt-operator\.yaml differs/,
        ),
      { timeout: 5000 },
    );
  });

  it('lists recent changes to components, newest first, with why one failed', async () => {
    const at = new Date().toISOString();
    const systemAction = (over: object) => ({
      projectId: null,
      resourceKind: 'component',
      resourceId: 'kubevirt',
      params: { version: 'v1.7.0' },
      error: null,
      startedAt: at,
      completedAt: at,
      ...over,
    });
    const { fetch } = renderWithApi(
      {
        'auth.whoami': me(true),
        'components.preflight': { data: preflight },
        'components.list': { data: [component({})] },
        'systemActions.list': {
          data: {
            items: [
              systemAction({ id: 'act_00000000000000000002', type: 'upgrade', status: 'completed' }),
              systemAction({
                id: 'act_00000000000000000001',
                type: 'install',
                status: 'errored',
                params: { version: 'v1.6.3' },
                error: 'the checksum of kubevirt-operator.yaml differs',
              }),
            ],
            nextCursor: null,
            total: 2,
          },
        },
      },
      <SetupPage />,
    );
    const table = await screen.findByRole('table', { name: 'Recent changes' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual([
      'Upgrade KubeVirt v1.7.0',
      'Install KubeVirt v1.6.3',
    ]);
    expect(within(rows[1]!).getByText('the checksum of kubevirt-operator.yaml differs')).toBeTruthy();
    expect(callsTo(fetch, 'systemActions.list')).toEqual([{ limit: 10 }]);
  });

  it('tells others that only administrators set up the cluster, without asking for components', async () => {
    const { fetch } = renderWithApi({ 'auth.whoami': me(false) }, <SetupPage />);
    expect(await screen.findByText('Only administrators set up the cluster')).toBeTruthy();
    expect(callsTo(fetch, 'components.list')).toEqual([]);
  });
});

describe('ComponentsBanner', () => {
  it('names the missing components and links administrators to Setup', async () => {
    renderWithApi(
      { 'auth.whoami': me(true), 'components.readiness': { data: { missing: ['kubevirt', 'storage'] } } },
      <ComponentsBanner />,
    );
    const banner = await screen.findByTestId('components-banner');
    expect(banner.textContent).toMatch(/missing KubeVirt and a storage class/);
    expect(within(banner).getByRole('link', { name: 'Set up the cluster' }).getAttribute('href')).toBe(
      '/setup',
    );
  });

  it('shows nothing when nothing is missing', async () => {
    const { fetch } = renderWithApi(
      { 'auth.whoami': me(false), 'components.readiness': { data: { missing: [] } } },
      <ComponentsBanner />,
    );
    await waitFor(() => expect(callsTo(fetch, 'components.readiness')).toHaveLength(1));
    expect(screen.queryByTestId('components-banner')).toBeNull();
  });
});
