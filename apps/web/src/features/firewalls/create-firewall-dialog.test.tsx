import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiProvider, createQueryClient } from '../../app/api-provider.tsx';
import { createApiClient } from '../../lib/trpc.ts';
import { emptyPage, fakeApi, projectId } from '../../test/fake-api.ts';
import { droplet, page } from '../../test/fixtures.ts';
import { callsTo } from '../../test/render.tsx';
import { CreateFirewallDialog } from './create-firewall-dialog.tsx';

const errorOf = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent)
    .join(' ');

describe('CreateFirewallDialog', () => {
  it('shows a bad source next to the sources field, though the schema finds it deep in inbound rules', async () => {
    const fetch = fakeApi({ 'droplets.list': emptyPage, 'apps.list': emptyPage });
    render(
      <ApiProvider
        client={createApiClient({ getToken: () => 't', url: 'http://api.test/trpc', fetch })}
        queryClient={createQueryClient()}
      >
        <CreateFirewallDialog projectId={projectId} open onOpenChange={() => {}} />
      </ApiProvider>,
    );
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Name'), 'web');
    const sources = screen.getByLabelText('Sources');
    await user.clear(sources);
    await user.type(sources, '10.0.0.0/8 the-office');
    await user.click(screen.getByRole('button', { name: 'Create firewall' }));

    await waitFor(() => expect(errorOf(sources)).toContain('"the-office" is not a CIDR or address'));
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('false');
  });
});

describe('CreateFirewallDialog rules', () => {
  it('creates any number of inbound and outbound rules, with droplets and tags picked by name', async () => {
    const web = droplet({ id: 'dpl_web1aaaaaaaaaaaaaaaa' as never, name: 'web-1', tags: ['web'] });
    const fetch = fakeApi({
      'droplets.list': page([web]),
      'apps.list': emptyPage,
      'firewalls.create': { data: null },
    });
    render(
      <ApiProvider
        client={createApiClient({ getToken: () => 't', url: 'http://api.test/trpc', fetch })}
        queryClient={createQueryClient()}
      >
        <CreateFirewallDialog projectId={projectId} open onOpenChange={() => {}} />
      </ApiProvider>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'web');
    await user.click(screen.getByRole('button', { name: 'Add inbound rule' }));
    const second = screen.getByRole('group', { name: 'Inbound rule 2' });
    const sources = within(second).getByLabelText('Sources');
    await user.clear(sources);
    await user.selectOptions(
      await within(second).findByRole('combobox', { name: /Add to sources/ }),
      'web-1',
    );
    expect(within(second).getByText('Includes droplet web-1.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add outbound rule' }));
    const out = screen.getByRole('group', { name: 'Outbound rule 1' });
    await user.clear(within(out).getByLabelText('Destinations'));
    await user.selectOptions(within(out).getByRole('combobox', { name: /Add to destinations/ }), 'web');
    await user.click(screen.getByRole('button', { name: 'Create firewall' }));

    await waitFor(() =>
      expect(callsTo(fetch, 'firewalls.create')).toMatchObject([
        {
          projectId,
          name: 'web',
          inbound: [
            { protocol: 'tcp', ports: '22', sources: ['0.0.0.0/0', '::/0'] },
            { protocol: 'tcp', ports: '443', sources: [web.id] },
          ],
          outbound: [{ protocol: 'tcp', ports: 'all', destinations: ['tag:web'] }],
          targets: [],
        },
      ]),
    );
  });
});
