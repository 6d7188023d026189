import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { whoamiAs, type FakeAnswer } from '../../test/fake-api.ts';
import { database } from '../../test/fixtures.ts';
import { callsTo, renderWithApi } from '../../test/render.tsx';
import { CredentialsDialog } from './credentials-dialog.tsx';

const credentials: FakeAnswer = {
  data: {
    host: 'main-rw.uc-shop.svc',
    port: 5432,
    database: 'app',
    user: 'app',
    password: 'hunter2',
    uri: 'postgres://app:hunter2@main-rw.uc-shop.svc:5432/app',
  },
};

const forbidden: FakeAnswer = {
  error: { message: 'This needs the member role in the project', status: 403, data: { code: 'FORBIDDEN' } },
};

const renderDialog = (answers: Record<string, FakeAnswer>) =>
  renderWithApi(answers, <CredentialsDialog database={database()} open onOpenChange={() => undefined} />);

describe('CredentialsDialog', () => {
  it('tells a viewer why not, without asking the server for the password', async () => {
    const { fetch } = renderDialog({
      'auth.whoami': whoamiAs('viewer'),
      'databases.credentials': credentials,
    });
    const dialog = await screen.findByRole('dialog', { name: 'Credentials of main' });
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toMatch(/^Viewers can't see database credentials — ask a project owner\./);
    expect(within(dialog).queryByLabelText('Password')).toBeNull();
    expect(callsTo(fetch, 'databases.credentials')).toEqual([]);
  });

  it('explains a refusal from the server (a role changed since the page loaded) the same way', async () => {
    renderDialog({ 'auth.whoami': whoamiAs('member'), 'databases.credentials': forbidden });
    const dialog = await screen.findByRole('dialog', { name: 'Credentials of main' });
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toMatch(/does not let you see database credentials — ask a project owner/);
  });

  it('shows a member the credentials', async () => {
    renderDialog({ 'auth.whoami': whoamiAs('member'), 'databases.credentials': credentials });
    const dialog = await screen.findByRole('dialog', { name: 'Credentials of main' });
    expect(((await within(dialog).findByLabelText('Password')) as HTMLInputElement).value).toBe('hunter2');
  });
});
