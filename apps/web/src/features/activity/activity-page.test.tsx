import type { AuditEvent } from '@uncloud/sdk';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, whoamiAs, type FakeAnswer } from '../../test/fake-api.ts';
import { droplet, dropletId, page, user } from '../../test/fixtures.ts';
import { callsTo, renderProjectRoutes, renderWithApi } from '../../test/render.tsx';
import { describeEvent, outcomeText } from './activity-text.ts';
import { AllActivityPage, ProjectActivityPage } from './activity-page.tsx';

const ada = user({ name: 'ada' });
const bob = user({ id: 'usr_bob00000000000000000', name: 'bob' });

const event = (
  over: Omit<Partial<AuditEvent>, 'id' | 'projectId'> & { id: string; projectId?: string | null },
): AuditEvent =>
  ({
    at: new Date().toISOString(),
    actor: { id: ada.id, name: 'ada' },
    tokenId: 'tok_0123456789abcdefghij',
    tokenPrefix: 'uc_AbCd1234',
    procedure: 'droplets.create',
    projectId,
    resourceId: dropletId,
    outcome: 'ok',
    errorCode: null,
    requestId: 'req-1',
    ...over,
  }) as AuditEvent;

const created = event({ id: 'aud_00000000000000000001' });
const refused = event({
  id: 'aud_00000000000000000002',
  actor: { id: bob.id, name: 'bob' },
  procedure: 'droplets.create',
  resourceId: null,
  outcome: 'error',
  errorCode: 'QUOTA_EXCEEDED',
});
const deleted = event({
  id: 'aud_00000000000000000003',
  procedure: 'volumes.delete',
  resourceId: 'vol_gone000000000000000',
});

const renderActivity = (answers: Record<string, FakeAnswer | ((input: unknown) => FakeAnswer)>) =>
  renderProjectRoutes(
    {
      'droplets.list': page([droplet()]),
      'volumes.list': emptyPage,
      'apps.list': emptyPage,
      'databases.list': emptyPage,
      'firewalls.list': emptyPage,
      'sshKeys.list': emptyPage,
      'projects.members': {
        data: [
          { user: ada, role: 'owner' },
          { user: bob, role: 'member' },
        ],
      },
      ...answers,
    },
    `/p/${projectId}/activity`,
    <Route path="activity" element={<ProjectActivityPage />} />,
  );

const rowWith = (table: HTMLElement, text: string) =>
  within(table)
    .getAllByRole('row')
    .find((r) => within(r).queryByText(text))!;

describe('ProjectActivityPage', () => {
  it('lists who did what and how it ended, naming what can still be named', async () => {
    renderActivity({ 'audit.list': { data: { items: [created, refused, deleted], nextCursor: null } } });
    const table = await screen.findByRole('table', { name: 'Activity' });
    await waitFor(() => expect(within(table).getByText('Created droplet web-1')).toBeTruthy());
    const first = rowWith(table, 'Created droplet web-1');
    expect(within(first).getByText('ada')).toBeTruthy();
    expect(within(first).getByText('Succeeded')).toBeTruthy();
    expect(within(first).getByText('uc_AbCd1234…')).toBeTruthy();

    const second = rowWith(table, 'bob');
    expect(within(second).getByText('droplets.create')).toBeTruthy();
    expect(within(second).getByText('Failed: over quota')).toBeTruthy();

    expect(within(table).getByText('volumes.delete')).toBeTruthy();
  });

  it('loads more events on request, after the ones already shown', async () => {
    const { fetch } = renderActivity({
      'audit.list': (input) =>
        (input as { cursor?: string }).cursor === 'c1'
          ? { data: { items: [deleted], nextCursor: null } }
          : { data: { items: [created], nextCursor: 'c1' } },
    });
    const u = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Activity' });
    await u.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(table).getByText('volumes.delete')).toBeTruthy());
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(callsTo(fetch, 'audit.list')).toEqual([
      expect.objectContaining({ projectId, limit: 50 }),
      expect.objectContaining({ projectId, limit: 50, cursor: 'c1' }),
    ]);
  });

  it('filters by person and by outcome', async () => {
    const { fetch } = renderActivity({ 'audit.list': { data: { items: [created], nextCursor: null } } });
    const u = userEvent.setup();
    await screen.findByRole('table', { name: 'Activity' });
    await waitFor(() =>
      expect(within(screen.getByLabelText('Person')).getAllByRole('option')).toHaveLength(3),
    );
    await u.selectOptions(screen.getByLabelText('Person'), 'bob');
    await u.selectOptions(screen.getByLabelText('Outcome'), 'Failed');
    await waitFor(() =>
      expect(callsTo(fetch, 'audit.list')).toContainEqual(
        expect.objectContaining({ projectId, userId: bob.id, outcome: 'error', limit: 50 }),
      ),
    );
  });

  it('tells viewers and members that the activity is for owners, without asking for it', async () => {
    for (const role of ['viewer', 'member'] as const) {
      const { fetch, unmount } = renderActivity({
        'auth.whoami': whoamiAs(role),
        'audit.list': { data: { items: [created], nextCursor: null } },
      });
      expect(await screen.findByText('Activity is for project owners')).toBeTruthy();
      expect(screen.getByRole('note').textContent).toBe(
        `${role === 'viewer' ? 'Viewers' : 'Members'} can't see the project's activity — ask a project owner.`,
      );
      expect(callsTo(fetch, 'audit.list')).toEqual([]);
      unmount();
    }
  });
});

describe('AllActivityPage', () => {
  it("shows administrators every project's activity, with the project named", async () => {
    const { fetch } = renderWithApi(
      {
        'auth.whoami': whoamiAs('owner', true),
        'users.list': { data: [ada, bob] },
        'audit.list': { data: { items: [refused], nextCursor: null } },
      },
      <AllActivityPage />,
    );
    const table = await screen.findByRole('table', { name: 'Activity' });
    expect(within(rowWith(table, 'bob')).getByText('shop')).toBeTruthy();
    const [input] = callsTo(fetch, 'audit.list');
    expect(input).toEqual(expect.objectContaining({ limit: 50 }));
    expect(input).not.toHaveProperty('projectId');
  });

  it('tells everyone else that it is for administrators', async () => {
    const { fetch } = renderWithApi({ 'auth.whoami': whoamiAs('owner') }, <AllActivityPage />);
    expect(await screen.findByText("Only administrators see every project's activity")).toBeTruthy();
    expect(callsTo(fetch, 'audit.list')).toEqual([]);
  });
});

describe('describeEvent', () => {
  const names = new Map([
    [dropletId as string, 'web-1'],
    [projectId, 'shop'],
  ]);
  const nameOf = (id: string) => names.get(id);

  it('says what happened to a resource it can name', () => {
    expect(
      describeEvent({ procedure: 'droplets.powerOff', resourceId: dropletId, projectId }, nameOf).text,
    ).toBe('Powered off droplet web-1');
    expect(
      describeEvent({ procedure: 'projects.addMember', resourceId: ada.id, projectId }, nameOf).text,
    ).toBe('Added a member to project shop');
  });

  it('falls back to the procedure when it cannot', () => {
    expect(
      describeEvent({ procedure: 'droplets.delete', resourceId: 'dpl_gone', projectId }, nameOf),
    ).toEqual({ text: 'droplets.delete', named: false });
    expect(
      describeEvent({ procedure: 'tokens.create', resourceId: null, projectId: null }, nameOf).text,
    ).toBe('tokens.create');
  });

  it('says how an event ended', () => {
    expect(outcomeText({ outcome: 'ok', errorCode: null })).toBe('Succeeded');
    expect(outcomeText({ outcome: 'error', errorCode: 'FORBIDDEN' })).toBe('Failed: not allowed');
  });
});
