import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Firewall } from '@uncloud/sdk';
import { describe, expect, it } from 'vitest';
import { ApiProvider, createQueryClient } from '../../app/api-provider.tsx';
import { createApiClient } from '../../lib/trpc.ts';
import { fakeApi, projectId } from '../../test/fake-api.ts';
import { callsTo, descriptionOf } from '../../test/render.tsx';
import { EditFirewallDialog } from './edit-firewall-dialog.tsx';

const firewall = {
  id: 'fw_0123456789abcdefghij',
  projectId,
  name: 'web',
  inbound: [
    { protocol: 'tcp', ports: '22', sources: ['10.0.0.0/8'] },
    { protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] },
  ],
  outbound: [],
  targets: ['tag:web'],
  allowDns: true,
  appliesTo: [],
  state: 'active',
  generation: 1,
  observedGeneration: 1,
  observedAt: null,
  syncState: 'synced',
  syncError: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
} as unknown as Firewall;

const targets = { droplets: [], apps: [], name: (id: string) => id };

const renderDialog = (fetch: typeof globalThis.fetch) =>
  render(
    <ApiProvider
      client={createApiClient({ getToken: () => 't', url: 'http://api.test/trpc', fetch })}
      queryClient={createQueryClient()}
    >
      <EditFirewallDialog firewall={firewall} targets={targets} refusal={null} />
    </ApiProvider>,
  );

describe('EditFirewallDialog', () => {
  it('puts a bad source under the rule it belongs to, not the first one', async () => {
    const fetch = fakeApi({});
    renderDialog(fetch);
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Edit' }));
    const second = await screen.findByRole('group', { name: 'Inbound rule 2' });
    const sources = within(second).getByLabelText('Sources');
    await user.clear(sources);
    await user.type(sources, 'the-internet');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(descriptionOf(sources)).toContain('"the-internet" is not a CIDR or address'));
    const first = within(screen.getByRole('group', { name: 'Inbound rule 1' })).getByLabelText('Sources');
    expect(first.getAttribute('aria-invalid')).toBe('false');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('adds an outbound rule and sends every rule with the targets', async () => {
    const fetch = fakeApi({ 'firewalls.update': { data: firewall } });
    renderDialog(fetch);
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Edit' }));
    await user.click(await screen.findByRole('button', { name: 'Add outbound rule' }));
    await user.click(screen.getByRole('button', { name: 'Remove inbound rule 1' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(callsTo(fetch, 'firewalls.update')).toEqual([
        {
          projectId,
          id: firewall.id,
          name: 'web',
          inbound: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }],
          outbound: [{ protocol: 'tcp', ports: 'all', destinations: ['0.0.0.0/0'] }],
          targets: ['tag:web'],
          allowDns: true,
        },
      ]),
    );
  });

  it('turns DNS off when asked to', async () => {
    const fetch = fakeApi({ 'firewalls.update': { data: firewall } });
    renderDialog(fetch);
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Edit' }));
    const dns = await screen.findByRole('checkbox', { name: /Allow DNS while outbound rules restrict/ });
    expect(dns).toHaveProperty('checked', true);
    await user.click(dns);
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(callsTo(fetch, 'firewalls.update')[0]).toMatchObject({ allowDns: false }));
  });

  it("shows the server's error on the rule field it names", async () => {
    const fetch = fakeApi({
      'firewalls.update': {
        error: {
          message: 'inbound.1.ports: overlaps rule 1',
          status: 400,
          data: {
            code: 'BAD_REQUEST',
            field: 'inbound.1.ports',
            fieldErrors: { 'inbound.1.ports': ['overlaps rule 1'] },
          },
        },
      },
    });
    renderDialog(fetch);
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Edit' }));
    await user.click(await screen.findByRole('button', { name: 'Save' }));

    const ports = within(screen.getByRole('group', { name: 'Inbound rule 2' })).getByLabelText('Ports');
    await waitFor(() => expect(descriptionOf(ports)).toContain('overlaps rule 1'));
  });
});
