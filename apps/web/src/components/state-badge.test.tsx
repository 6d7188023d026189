import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StateBadge } from './state-badge.tsx';

describe('StateBadge', () => {
  it.each(['pending', 'provisioning', 'active', 'stopped', 'starting', 'stopping', 'error', 'deleting'])(
    'names the %s state with the word the API uses',
    (state) => {
      render(<StateBadge state={state} />);
      expect(screen.getByText(state).getAttribute('data-state')).toBe(state);
    },
  );

  it('marks only the states that are still changing as transitional', () => {
    const { container } = render(
      <>
        <StateBadge state="provisioning" />
        <StateBadge state="active" />
        <StateBadge state="stopped" />
        <StateBadge state="deleting" />
      </>,
    );
    const moving = [...container.querySelectorAll('[data-transitional]')].map((el) =>
      el.getAttribute('data-state'),
    );
    expect(moving).toEqual(['provisioning', 'deleting']);
  });

  it('says nothing about sync while the resource is in sync', () => {
    render(<StateBadge state="active" syncState="synced" />);
    expect(screen.queryByText('In sync')).toBeNull();
  });

  it('shows a failed sync and the reason a person can act on', () => {
    render(
      <StateBadge state="error" syncState="error" syncError="The image ubuntu-24-04 could not be pulled" />,
    );
    expect(screen.getByText('Sync failed').getAttribute('title')).toBe(
      'The image ubuntu-24-04 could not be pulled',
    );
    expect(screen.getByText('The image ubuntu-24-04 could not be pulled')).toBeTruthy();
  });

  it('shows when the cluster could not be reached', () => {
    render(<StateBadge state="active" syncState="stale" />);
    expect(screen.getByText('Cluster unreachable')).toBeTruthy();
  });
});
