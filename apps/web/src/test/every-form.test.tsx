import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { databaseEngines, databaseSizes, dropletImages, dropletSizes } from '@uncloud/sdk';
import type * as React from 'react';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { AppDetailPage } from '../features/apps/app-detail-page.tsx';
import { AppsPage } from '../features/apps/apps-page.tsx';
import { DatabaseDetailPage } from '../features/databases/database-detail-page.tsx';
import { DatabasesPage } from '../features/databases/databases-page.tsx';
import { DropletDetailPage } from '../features/droplets/droplet-detail-page.tsx';
import { DropletsPage } from '../features/droplets/droplets-page.tsx';
import { FirewallDetailPage } from '../features/firewalls/firewall-detail-page.tsx';
import { FirewallsPage } from '../features/firewalls/firewalls-page.tsx';
import { LoadBalancerDetailPage } from '../features/load-balancers/load-balancer-detail-page.tsx';
import { LoadBalancersPage } from '../features/load-balancers/load-balancers-page.tsx';
import { quota } from '../features/overview/overview-test-api.tsx';
import { ProjectSettingsPage } from '../features/projects/project-settings-page.tsx';
import { ProjectsPage } from '../features/projects/projects-page.tsx';
import { QuotasPage } from '../features/quotas/quotas-page.tsx';
import { SshKeyDetailPage } from '../features/ssh-keys/ssh-key-detail-page.tsx';
import { SshKeysPage } from '../features/ssh-keys/ssh-keys-page.tsx';
import { TokensPage } from '../features/tokens/tokens-page.tsx';
import { UsersPage } from '../features/users/users-page.tsx';
import { VolumeDetailPage } from '../features/volumes/volume-detail-page.tsx';
import { VolumesPage } from '../features/volumes/volumes-page.tsx';
import { emptyPage, projectId, whoamiAs, type FakeAnswer } from './fake-api.ts';
import {
  apiToken,
  app,
  appId,
  database,
  databaseId,
  droplet,
  dropletId,
  page,
  user,
  volume,
  volumeId,
} from './fixtures.ts';
import { rawSchemaText } from './raw-schema-text.ts';
import { renderProjectRoutes, renderWithApi } from './render.tsx';

const now = '2026-01-01T00:00:00.000Z';
const reconciled = {
  state: 'active',
  generation: 1,
  observedGeneration: 1,
  observedAt: now,
  syncState: 'synced',
  syncError: null,
  createdAt: now,
  updatedAt: now,
  deletedAt: null,
};
const firewallId = 'fw_0123456789abcdefghij';
const firewall = {
  id: firewallId,
  projectId,
  name: 'web',
  inbound: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }],
  outbound: [],
  targets: ['tag:web'],
  allowDns: true,
  appliesTo: [],
  ...reconciled,
};
const loadBalancerId = 'lb_0123456789abcdefghij';
const loadBalancer = {
  id: loadBalancerId,
  projectId,
  name: 'front',
  forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: null }],
  healthCheck: {
    protocol: 'http',
    port: 8080,
    path: '/healthz',
    intervalSeconds: 10,
    timeoutSeconds: 5,
    healthyThreshold: 3,
    unhealthyThreshold: 3,
  },
  dropletIds: [dropletId],
  tag: null,
  stickySessions: false,
  tlsCertificate: null,
  redirectHttpToHttps: false,
  address: '198.51.100.10',
  targets: [{ dropletId, name: 'web-1', healthy: true, reason: 'HTTP 200 from /healthz', since: now }],
  ...reconciled,
};
const sshKeyId = 'sk_0123456789abcdefghij';
const sshKey = {
  id: sshKeyId,
  projectId,
  name: 'laptop',
  publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH me@host',
  fingerprint: 'SHA256:abc',
  createdAt: now,
  updatedAt: now,
};
const project = {
  id: projectId,
  name: 'shop',
  description: '',
  purpose: 'Web Application',
  isDefault: false,
  role: 'owner',
  namespace: 'uc-shop',
  ...reconciled,
};
const ada = user({ name: 'ada' });
const bob = user({ id: 'usr_bob00000000000000000', name: 'bob' });

/**
 * Whatever a form sends, the server refuses it in zod's own default words: the dashboard must turn
 * even those into plain ones (an older server, another validator on the way).
 */
const rawRefusal: FakeAnswer = {
  error: {
    message: 'Invalid input: name: Too small: expected string to have >=1 characters',
    status: 400,
    data: {
      code: 'BAD_REQUEST',
      field: 'name',
      fieldErrors: {
        name: ['Too small: expected string to have >=1 characters'],
        port: ['Invalid input: expected number, received undefined'],
        'env.1BAD': ['Invalid key in record'],
      },
    },
  },
};

const mutations = [
  'droplets.create',
  'droplets.update',
  'droplets.resize',
  'droplets.rebuild',
  'droplets.snapshot',
  'volumes.create',
  'volumes.update',
  'volumes.resize',
  'volumes.attach',
  'apps.create',
  'apps.update',
  'apps.scale',
  'apps.deploy',
  'databases.create',
  'databases.update',
  'databases.resize',
  'firewalls.create',
  'firewalls.update',
  'loadBalancers.create',
  'loadBalancers.update',
  'sshKeys.create',
  'sshKeys.update',
  'quotas.update',
  'projects.create',
  'projects.update',
  'projects.addMember',
  'tokens.create',
  'users.create',
];

const stoppedId = 'dpl_stopped0000000000000';
const stopped = droplet({ id: stoppedId as never, name: 'web-2', state: 'stopped', poweredOn: false });

const answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)> = {
  'auth.whoami': whoamiAs('owner', true),
  'actions.list': emptyPage,
  'droplets.list': page([droplet()]),
  'droplets.get': (input) => ({ data: (input as { id: string }).id === stoppedId ? stopped : droplet() }),
  'volumes.list': page([volume()]),
  'volumes.get': { data: volume() },
  'apps.list': page([app()]),
  'apps.get': { data: app() },
  'databases.list': page([database()]),
  'databases.get': { data: database() },
  'firewalls.list': page([firewall]),
  'firewalls.get': { data: firewall },
  'loadBalancers.list': page([loadBalancer]),
  'loadBalancers.get': { data: loadBalancer },
  'sshKeys.list': page([sshKey]),
  'sshKeys.get': { data: sshKey },
  'sizes.list': { data: dropletSizes },
  'images.list': { data: dropletImages },
  'databaseOptions.list': { data: { engines: databaseEngines, sizes: databaseSizes } },
  'quotas.get': { data: quota() },
  'projects.get': { data: project },
  'projects.list': page([project]),
  'projects.members': { data: [{ user: ada, role: 'owner' }] },
  'users.list': { data: [ada, bob] },
  'users.tokens': { data: [] },
  'tokens.list': { data: [apiToken()] },
  'usage.list': { data: [] },
  'audit.list': emptyPage,
  ...Object.fromEntries(mutations.map((m) => [m, rawRefusal])),
};

const projectRoutes = (
  <>
    <Route path="droplets" element={<DropletsPage />} />
    <Route path="droplets/:dropletId" element={<DropletDetailPage />} />
    <Route path="volumes" element={<VolumesPage />} />
    <Route path="volumes/:volumeId" element={<VolumeDetailPage />} />
    <Route path="apps" element={<AppsPage />} />
    <Route path="apps/:appId" element={<AppDetailPage />} />
    <Route path="databases" element={<DatabasesPage />} />
    <Route path="databases/:databaseId" element={<DatabaseDetailPage />} />
    <Route path="firewalls" element={<FirewallsPage />} />
    <Route path="firewalls/:firewallId" element={<FirewallDetailPage />} />
    <Route path="load-balancers" element={<LoadBalancersPage />} />
    <Route path="load-balancers/:loadBalancerId" element={<LoadBalancerDetailPage />} />
    <Route path="ssh-keys" element={<SshKeysPage />} />
    <Route path="ssh-keys/:sshKeyId" element={<SshKeyDetailPage />} />
    <Route path="quotas" element={<QuotasPage />} />
    <Route path="settings" element={<ProjectSettingsPage />} />
  </>
);

interface FormCase {
  /** The page, inside the project (`droplets/dpl_…`), or an account page. */
  at: string | React.ReactNode;
  /** The button that opens the form. */
  button: string | RegExp;
}

const p = (path: string) => `/p/${projectId}/${path}`;
const forms: Record<string, FormCase> = {
  'create droplet': { at: p('droplets'), button: /Create droplet/ },
  'edit droplet': { at: p(`droplets/${dropletId}`), button: 'Edit' },
  'resize droplet': { at: p(`droplets/${stoppedId}`), button: 'Resize' },
  'rebuild droplet': { at: p(`droplets/${dropletId}`), button: 'Rebuild' },
  'snapshot droplet': { at: p(`droplets/${dropletId}`), button: 'Snapshot' },
  'create volume': { at: p('volumes'), button: /Create volume/ },
  'edit volume': { at: p(`volumes/${volumeId}`), button: 'Edit' },
  'resize volume': { at: p(`volumes/${volumeId}`), button: 'Resize' },
  'attach volume': { at: p(`volumes/${volumeId}`), button: 'Attach' },
  'create app': { at: p('apps'), button: /Deploy app/ },
  'edit app': { at: p(`apps/${appId}`), button: 'Edit' },
  'scale app': { at: p(`apps/${appId}`), button: 'Scale' },
  'deploy app': { at: p(`apps/${appId}`), button: 'Deploy' },
  'create database': { at: p('databases'), button: /Create database/ },
  'edit database': { at: p(`databases/${databaseId}`), button: 'Edit' },
  'resize database': { at: p(`databases/${databaseId}`), button: 'Resize' },
  'create firewall': { at: p('firewalls'), button: /Create firewall/ },
  'edit firewall': { at: p(`firewalls/${firewallId}`), button: 'Edit' },
  'create load balancer': { at: p('load-balancers'), button: /Create load balancer/ },
  'edit load balancer': { at: p(`load-balancers/${loadBalancerId}`), button: 'Edit' },
  'add SSH key': { at: p('ssh-keys'), button: /Add SSH key/ },
  'edit SSH key': { at: p(`ssh-keys/${sshKeyId}`), button: 'Edit' },
  'edit quota': { at: p('quotas'), button: /Edit/ },
  'edit project': { at: p('settings'), button: 'Edit' },
  'add member': { at: p('settings'), button: 'Add member' },
  'create project': { at: <ProjectsPage />, button: /Create project/ },
  'create token': { at: <TokensPage />, button: /Create token/ },
  'create user': { at: <UsersPage />, button: /Create user/ },
};

type Fill = 'empty' | 'too long' | 'invalid';
const valueFor = (control: HTMLInputElement | HTMLTextAreaElement, fill: Fill) => {
  const numeric = control.getAttribute('type') === 'number';
  switch (fill) {
    case 'empty':
      return '';
    case 'too long':
      return numeric ? '99999999999' : 'x'.repeat(70_000);
    case 'invalid':
      return numeric ? '-1.5' : 'Not valid!! ü/\\ "quoted"\nsecond line';
  }
};

const fillAll = (dialog: HTMLElement, fill: Fill) => {
  // A picker left at its "Choose…" entry is the empty case; its other entries are all valid.
  const pickers = dialog.querySelectorAll<HTMLSelectElement>('select:not([disabled])');
  for (const picker of pickers)
    if (fill === 'empty' && [...picker.options].some((o) => o.value === ''))
      fireEvent.change(picker, { target: { value: '' } });
  const controls = dialog.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
    'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([readonly]):not([disabled]), textarea:not([readonly])',
  );
  for (const control of controls) fireEvent.change(control, { target: { value: valueFor(control, fill) } });
  return controls.length + pickers.length;
};

const open = async ({ at, button }: FormCase) => {
  if (typeof at === 'string') renderProjectRoutes(answers, at, projectRoutes);
  else renderWithApi(answers, at);
  const trigger = await screen.findAllByRole('button', { name: button }, { timeout: 4000 });
  const enabled = trigger.find((b) => !b.hasAttribute('disabled'));
  expect(enabled, 'the button that opens the form is enabled').toBeTruthy();
  await userEvent.setup().click(enabled!);
  return screen.findByRole('dialog');
};

/** Waits until the form answered the submit: a field error, a form-level message, or the server's. */
const answered = (dialog: HTMLElement) =>
  waitFor(() =>
    expect(
      dialog.querySelector('[aria-invalid=true]') !== null ||
        within(dialog).queryByRole('alert') !== null ||
        !dialog.isConnected,
    ).toBe(true),
  );

describe('every create and edit form', () => {
  it.each(Object.entries(forms))('%s says what is wrong in words, whatever is typed', async (_, form) => {
    const dialog = await open(form);
    expect(fillAll(dialog, 'empty')).toBeGreaterThan(0);
    for (const fill of ['empty', 'too long', 'invalid'] as const) {
      if (!dialog.isConnected) break;
      fillAll(dialog, fill);
      fireEvent.submit(dialog.querySelector('form')!);
      await answered(dialog);
      expect(rawSchemaText(document.body.textContent ?? ''), `${fill} input`).toEqual([]);
    }
  });
});

describe('errors that name what they are about', () => {
  const errorsIn = (dialog: HTMLElement) =>
    [...dialog.querySelectorAll('[id$=-error], [role=alert]')].map((e) => e.textContent).join(' | ');

  it('names the forwarding rule line that is wrong, and says what the health check needs', async () => {
    const dialog = await open(forms['create load balancer']!);
    const rules = within(dialog).getByLabelText('Forwarding rules');
    fireEvent.change(rules, { target: { value: 'HTTP 80 8080\nTCP 80 22' } });
    fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() =>
      expect(errorsIn(dialog)).toContain('Line 2 uses entry port 80 again (line 1); keep one of them.'),
    );
    fireEvent.change(rules, { target: { value: 'HTTP 80 8080\nSCTP 9 9' } });
    fireEvent.change(within(dialog).getByLabelText('Timeout (s)'), { target: { value: '30' } });
    fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() => {
      expect(errorsIn(dialog)).toContain('Line 2: start with the protocol (TCP, UDP, HTTP or HTTPS)');
      expect(errorsIn(dialog)).toContain('must be at most the interval');
    });
    fireEvent.change(rules, { target: { value: 'HTTPS 443 8080 shop.example.com' } });
    fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() =>
      expect(errorsIn(dialog)).toContain(
        'HTTPS for shop.example.com needs a certificate: upload one, or choose cert-manager',
      ),
    );
  });

  it('names the env line that is wrong, and refuses a name given twice', async () => {
    const dialog = await open(forms['create app']!);
    const env = within(dialog).getByLabelText('Environment (optional)');
    fireEvent.change(env, { target: { value: 'A=1\n1BAD=x' } });
    fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() => expect(errorsIn(dialog)).toContain('Line 2: "1BAD" is not a valid name'));
    fireEvent.change(env, { target: { value: 'A=1\nB=2\nA=3' } });
    fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() =>
      expect(errorsIn(dialog)).toContain('Line 3 sets A again (line 1); keep one of them.'),
    );
  });

  it('names the tag that is refused among several', async () => {
    const dialog = await open(forms['create app']!);
    fireEvent.change(within(dialog).getByLabelText('Tags'), { target: { value: 'web, bad!, prod' } });
    fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() => expect(errorsIn(dialog)).toContain('"bad!" must be letters, digits'));
  });

  it("turns a server's refusal in zod's words into plain ones", async () => {
    const dialog = await open(forms['create volume']!);
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'data' } });
    fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Name').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(errorsIn(dialog)).toContain('is required');
    expect(rawSchemaText(document.body.textContent ?? '')).toEqual([]);
  });
});

describe('an address naming nothing', () => {
  it.each([
    ['a malformed droplet id', p('droplets/not-an-id'), 'This droplet does not exist'],
    ['a malformed database id', p('databases/db_short'), 'This database does not exist'],
  ])('shows not-found at once for %s, without asking the API', async (_, path, heading) => {
    const { fetch } = renderProjectRoutes(answers, path, projectRoutes);
    expect(await screen.findByRole('heading', { name: heading }, { timeout: 500 })).toBeTruthy();
    const asked = fetch.mock.calls.map(([url]) => String(url));
    expect(asked.filter((u) => /droplets\.get|databases\.get/.test(u))).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('shows not-found without retrying when the API says the id is not valid', async () => {
    const badRequest: FakeAnswer = {
      error: { message: 'Invalid input', status: 400, data: { code: 'BAD_REQUEST', fieldErrors: {} } },
    };
    const { fetch } = renderProjectRoutes(
      { ...answers, 'volumes.get': badRequest },
      p(`volumes/${volumeId}`),
      projectRoutes,
    );
    expect(
      await screen.findByRole('heading', { name: 'This volume does not exist' }, { timeout: 1000 }),
    ).toBeTruthy();
    expect(fetch.mock.calls.filter(([url]) => String(url).includes('volumes.get'))).toHaveLength(1);
  });
});
