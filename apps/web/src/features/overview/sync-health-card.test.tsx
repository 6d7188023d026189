import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { adminWhoami, renderInProject, syncStatus } from './overview-test-api.tsx';
import { SyncHealthCard } from './sync-health-card.tsx';

const term = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;

describe('SyncHealthCard', () => {
  it('shows the last resync, the queue and the errors of a reachable cluster', async () => {
    renderInProject(<SyncHealthCard />, {
      'auth.whoami': adminWhoami,
      'sync.status': { data: syncStatus({ errors: 4 }) },
    });
    expect(await screen.findByText('Cluster reachable')).toBeTruthy();
    expect(term('Cluster')).toBe('Simulated');
    expect(term('Last resync')).toBe('5 minutes ago');
    expect(term('Queue depth')).toBe('3');
    expect(term('Errors')).toBe('4');
    expect(term('Resync every')).toBe('15 s');
  });

  it("warns when no load balancer target answers this server's health checks", async () => {
    renderInProject(<SyncHealthCard />, {
      'auth.whoami': adminWhoami,
      'sync.status': { data: syncStatus({ healthChecksUnanswered: true }) },
    });
    expect(await screen.findByText('Cluster reachable')).toBeTruthy();
    expect(term('Load balancer health checks')).toMatch(/no target answers/);
  });

  it('says nothing of health checks while they are answered', async () => {
    renderInProject(<SyncHealthCard />, {
      'auth.whoami': adminWhoami,
      'sync.status': { data: syncStatus() },
    });
    expect(await screen.findByText('Cluster reachable')).toBeTruthy();
    expect(screen.queryByText('Load balancer health checks')).toBeNull();
  });

  it('says a real cluster is unreachable and that changes wait for it', async () => {
    renderInProject(<SyncHealthCard />, {
      'auth.whoami': adminWhoami,
      'sync.status': { data: syncStatus({ clusterMode: 'external', reachable: false, lastResyncAt: null }) },
    });
    expect(await screen.findByText('Cluster unreachable')).toBeTruthy();
    expect(screen.getByText(/applied when the cluster answers again/)).toBeTruthy();
    expect(term('Cluster')).toBe('Real cluster');
    expect(term('Last resync')).toBe('—');
  });
});
