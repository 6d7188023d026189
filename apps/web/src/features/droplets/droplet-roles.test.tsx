import { screen, within } from '@testing-library/react';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId, whoamiAs, type FakeAnswer } from '../../test/fake-api.ts';
import { droplet, dropletId, page } from '../../test/fixtures.ts';
import { descriptionOf, renderProjectRoutes } from '../../test/render.tsx';
import { DropletDetailPage } from './droplet-detail-page.tsx';
import { DropletsPage } from './droplets-page.tsx';

const renderList = (me: FakeAnswer) =>
  renderProjectRoutes(
    { 'auth.whoami': me, 'actions.list': emptyPage, 'droplets.list': page([droplet()]) },
    `/p/${projectId}/droplets`,
    <Route path="droplets" element={<DropletsPage />} />,
  );

const renderDetail = (me: FakeAnswer) =>
  renderProjectRoutes(
    {
      'auth.whoami': me,
      'actions.list': emptyPage,
      'droplets.get': { data: droplet() },
      'sshKeys.list': emptyPage,
      'volumes.list': emptyPage,
    },
    `/p/${projectId}/droplets/${dropletId}`,
    <Route path="droplets/:dropletId" element={<DropletDetailPage />} />,
  );

const viewerReason = /Viewers can't .*power off.* droplets — ask a project owner\./;

describe('droplets for each role', () => {
  it("shows a viewer the list's actions disabled, with the reason written on the page", async () => {
    renderList(whoamiAs('viewer'));
    const table = await screen.findByRole('table', { name: 'Droplets' });
    const powerOff = within(table).getByRole('button', { name: 'Power off' });
    const create = screen.getByRole('button', { name: /Create droplet/ });
    const remove = within(table).getByRole('button', { name: 'Delete droplet web-1' });
    for (const control of [powerOff, create, remove]) {
      expect(control).toHaveProperty('disabled', true);
      expect(descriptionOf(control)).toMatch(viewerReason);
    }
    const note = screen.getByRole('note');
    expect(note.textContent).toBe(
      "Viewers can't create, power on, power off, reboot, resize, rebuild, snapshot, or delete droplets — ask a project owner.",
    );
  });

  it("shows a viewer the detail page's actions and Edit disabled, with the reason", async () => {
    renderDetail(whoamiAs('viewer'));
    const toolbar = await screen.findByRole('toolbar', { name: 'Actions' });
    const reboot = within(toolbar).getByRole('button', { name: 'Reboot' });
    const edit = screen.getByRole('button', { name: 'Edit' });
    for (const control of [reboot, edit, screen.getByRole('button', { name: 'Delete' })]) {
      expect(control).toHaveProperty('disabled', true);
      expect(descriptionOf(control)).toMatch(/Viewers can't .*reboot.*edit, or delete droplets/);
    }
    const notes = screen.getAllByRole('note').map((note) => note.textContent);
    expect(notes.some((text) => viewerReason.test(text ?? ''))).toBe(true);
    // The console is refused too, in its own words.
    expect(screen.getByRole('button', { name: 'Open console' })).toHaveProperty('disabled', true);
    expect(notes).toContain("Viewers can't open consoles — ask a project owner.");
  });

  it('offers an owner the same actions enabled, with no reason to read', async () => {
    renderList(whoamiAs('owner'));
    const table = await screen.findByRole('table', { name: 'Droplets' });
    expect(within(table).getByRole('button', { name: 'Power off' })).toHaveProperty('disabled', false);
    expect(screen.getByRole('button', { name: /Create droplet/ })).toHaveProperty('disabled', false);
    expect(within(table).getByRole('button', { name: 'Delete droplet web-1' })).toHaveProperty(
      'disabled',
      false,
    );
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('offers a member the same actions as an owner', async () => {
    renderDetail(whoamiAs('member'));
    const toolbar = await screen.findByRole('toolbar', { name: 'Actions' });
    expect(within(toolbar).getByRole('button', { name: 'Reboot' })).toHaveProperty('disabled', false);
    expect(screen.getByRole('button', { name: 'Edit' })).toHaveProperty('disabled', false);
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('disables changes for an owner signed in with a read-only token, and says so', async () => {
    renderList(whoamiAs('owner', false, { readOnly: true }));
    const table = await screen.findByRole('table', { name: 'Droplets' });
    const powerOff = within(table).getByRole('button', { name: 'Power off' });
    expect(powerOff).toHaveProperty('disabled', true);
    expect(descriptionOf(powerOff)).toMatch(
      /^This session's token is read-only: it can't create, .* or delete droplets — sign in with a token that may make changes\.$/,
    );
  });
});
