import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiProvider, createQueryClient } from '../../app/api-provider.tsx';
import { createApiClient } from '../../lib/trpc.ts';
import { fakeApi, projectId } from '../../test/fake-api.ts';
import { CreateVolumeDialog } from './create-volume-dialog.tsx';

const renderDialog = (fetch: typeof globalThis.fetch) => {
  const client = createApiClient({ getToken: () => 'test-token', url: 'http://api.test/trpc', fetch });
  render(
    <ApiProvider client={client} queryClient={createQueryClient()}>
      <CreateVolumeDialog projectId={projectId} open onOpenChange={() => {}} />
    </ApiProvider>,
  );
};

const errorOf = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent)
    .join(' ');

describe('CreateVolumeDialog', () => {
  it('rejects a bad name in the browser with the words the API uses, without calling the API', async () => {
    const fetch = fakeApi({});
    renderDialog(fetch);
    const user = userEvent.setup();

    const name = screen.getByLabelText('Name');
    await user.type(name, 'My_Volume');
    await user.click(screen.getByRole('button', { name: 'Create volume' }));

    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(errorOf(name)).toContain("must be lowercase letters, digits and '-'");
    // Only the quota is read (for the warning as the dialog opens); nothing is sent.
    expect(fetch.mock.calls.map(([url]) => String(url)).filter((u) => !u.includes('quotas.get'))).toEqual([]);
  });

  it('rejects a size below 1 GiB next to the size field', async () => {
    renderDialog(fakeApi({}));
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Name'), 'data');
    const size = screen.getByLabelText('Size (GiB)');
    await user.clear(size);
    await user.type(size, '0');
    await user.click(screen.getByRole('button', { name: 'Create volume' }));

    await waitFor(() => expect(errorOf(size)).toContain('must be at least 1 GiB'));
  });

  it("puts the server's field errors next to the field they name", async () => {
    const fetch = fakeApi({
      'volumes.create': {
        error: {
          message: 'A volume named "data" already exists in this project',
          status: 409,
          data: {
            code: 'CONFLICT',
            field: 'name',
            fieldErrors: { name: ['a volume named "data" already exists in this project'] },
          },
        },
      },
    });
    renderDialog(fetch);
    const user = userEvent.setup();

    const name = screen.getByLabelText('Name');
    await user.type(name, 'data');
    await user.click(screen.getByRole('button', { name: 'Create volume' }));

    await waitFor(() =>
      expect(errorOf(name)).toContain('a volume named "data" already exists in this project'),
    );
    expect(name.getAttribute('aria-invalid')).toBe('true');
    const creates = fetch.mock.calls.filter(([u]) => String(u).includes('volumes.create'));
    expect(creates).toHaveLength(1);
    const [url, init] = creates[0]!;
    expect(String(url)).toContain('/trpc/volumes.create');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer test-token');
    expect(JSON.parse(String(init?.body))).toEqual({
      0: { projectId, name: 'data', sizeGiB: 10, filesystem: 'ext4', description: '', tags: [] },
    });
  });
});
