import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createOpenApiDocument } from '@uncloud/sdk/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApi } from '../../test/render.tsx';
import { ApiReferencePage, OPENAPI_URL } from './api-reference-page.tsx';

const serve = (answer: () => Response) => {
  const fetch = vi.fn((url: string) => {
    if (url !== OPENAPI_URL) throw new Error(`unexpected fetch of ${url}`);
    return Promise.resolve(answer());
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
};

afterEach(() => vi.unstubAllGlobals());

describe('ApiReferencePage', () => {
  it("lists the server's operations by resource, with an action's types and fields", async () => {
    serve(() => Response.json(createOpenApiDocument({ version: 'test' })));
    renderWithApi({}, <ApiReferencePage />);
    const droplets = await screen.findByRole('region', { name: 'droplets' });
    expect(within(droplets).getByText('/projects/{projectId}/droplets/{id}/actions')).toBeTruthy();
    const actions = within(droplets)
      .getByText('/projects/{projectId}/droplets/{id}/actions')
      .closest('details')!;
    await userEvent.setup().click(within(actions).getByText('/projects/{projectId}/droplets/{id}/actions'));
    expect(within(actions).getByText('{ "type": "power_off" }')).toBeTruthy();
    expect(within(actions).getByText('size')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'sshKeys' })).toBeTruthy();
  });

  it('narrows the list to what the filter names', async () => {
    serve(() => Response.json(createOpenApiDocument({ version: 'test' })));
    renderWithApi({}, <ApiReferencePage />);
    await screen.findByRole('region', { name: 'droplets' });
    await userEvent.setup().type(screen.getByRole('textbox', { name: 'Filter operations' }), 'ssh_keys');
    expect(screen.queryByRole('region', { name: 'droplets' })).toBeNull();
    expect(screen.getByRole('region', { name: 'sshKeys' })).toBeTruthy();
  });

  it('says so when the document cannot be read', async () => {
    serve(() => new Response('nope', { status: 502 }));
    renderWithApi({}, <ApiReferencePage />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/502/);
  });
});
