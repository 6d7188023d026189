import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiProvider, createQueryClient } from '../../app/api-provider.tsx';
import { createApiClient } from '../../lib/trpc.ts';
import { emptyPage, fakeApi, projectId } from '../../test/fake-api.ts';
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
