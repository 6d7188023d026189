import { screen } from '@testing-library/react';
import type { Firewall } from '@uncloud/sdk';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId } from '../../test/fake-api.ts';
import { dropletId, page, droplet } from '../../test/fixtures.ts';
import { renderProjectRoutes } from '../../test/render.tsx';
import { FirewallDetailPage } from './firewall-detail-page.tsx';

const firewallId = 'fw_0123456789abcdefghij';
const firewall = (over: Partial<Firewall> = {}) =>
  ({
    id: firewallId,
    projectId,
    name: 'edge',
    inbound: [{ protocol: 'icmp', ports: 'all', sources: ['0.0.0.0/0'] }],
    outbound: [{ protocol: 'tcp', ports: '443', destinations: ['0.0.0.0/0'] }],
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
    ...over,
  }) as Firewall;

const renderDetail = (f: Firewall) =>
  renderProjectRoutes(
    {
      'firewalls.get': { data: f },
      'droplets.list': page([droplet()]),
      'apps.list': emptyPage,
      'actions.list': emptyPage,
    },
    `/p/${projectId}/firewalls/${firewallId}`,
    <Route path="firewalls/:firewallId" element={<FirewallDetailPage />} />,
  );

describe('FirewallDetailPage', () => {
  it('lists where the firewall is enforced, and what the cluster cannot enforce', async () => {
    renderDetail(
      firewall({
        appliesTo: [
          {
            id: dropletId,
            kind: 'droplet',
            name: 'web-1',
            enforced: true,
            note: 'ICMP rules are not enforced: without Cilium the cluster cannot allow ICMP',
          },
          {
            id: 'app_0123456789abcdefghij',
            kind: 'app',
            name: 'api',
            enforced: false,
            note: 'not enforced yet',
          },
        ],
      }),
    );
    expect((await screen.findByTestId(`enforcement-${dropletId}`)).textContent).toMatch(
      /^Enforced — ICMP rules are not enforced/,
    );
    expect(screen.getByTestId('enforcement-app_0123456789abcdefghij').textContent).toMatch(/^Not enforced/);
    expect(screen.getByText("Allowed to the cluster's resolver despite the outbound rules")).toBeTruthy();
  });

  it('says when the firewall applies to nothing now', async () => {
    renderDetail(firewall({ allowDns: false }));
    expect(await screen.findByText(/applies to nothing now/)).toBeTruthy();
    expect(screen.getByText('Not allowed by this firewall')).toBeTruthy();
  });
});
