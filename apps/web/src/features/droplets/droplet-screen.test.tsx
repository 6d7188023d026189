import { describe, expect, it } from 'vitest';
import { droplet as dropletFixture } from '../../test/fixtures.ts';
import { screenProtocols, screenUrl } from './droplet-screen.tsx';

describe("a droplet's screen", () => {
  const droplet = dropletFixture();

  it('opens on the API’s VNC path, over wss: behind https', () => {
    expect(screenUrl(droplet, { protocol: 'https:', host: 'cloud.example' } as Location)).toBe(
      `wss://cloud.example/api/vnc/${droplet.projectId}/droplets/${droplet.id}`,
    );
    expect(screenUrl(droplet, { protocol: 'http:', host: '127.0.0.1:8080' } as Location)).toMatch(/^ws:\/\//);
  });

  it('offers noVNC’s binary first, then the token, never the token alone', () => {
    const [first, second, ...rest] = screenProtocols('uc_secret');
    expect(first).toBe('binary');
    expect(second).toBe(`bearer.${Buffer.from('uc_secret').toString('base64url')}`);
    expect(rest).toEqual([]);
  });
});
