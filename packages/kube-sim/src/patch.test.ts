import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namedSchema } from './schema/builtin-schemas.ts';
import { jsonPatch, mergePatch, strategicMerge } from './patch.ts';

const POD_SPEC = namedSchema('io.k8s.api.core.v1.PodSpec');

const container = fc.record({
  name: fc.constantFrom('web', 'sidecar', 'init', 'db'),
  image: fc.constantFrom('nginx:1', 'nginx:2', 'busybox:1'),
});
const podSpec = fc.record({
  containers: fc.uniqueArray(container, { selector: (c) => c.name, maxLength: 4 }),
});

describe('patches', () => {
  it('strategic merge is idempotent and keeps containers unique by name', () => {
    fc.assert(
      fc.property(podSpec, podSpec, (target, patch) => {
        const once = strategicMerge(target, patch, POD_SPEC) as {
          containers: { name: string; image: string }[];
        };
        expect(strategicMerge(once, patch, POD_SPEC)).toEqual(once);
        const names = once.containers.map((c) => c.name);
        expect(new Set(names).size).toBe(names.length);
        for (const c of patch.containers)
          expect(once.containers.find((x) => x.name === c.name)?.image).toBe(c.image);
      }),
    );
  });

  it('merge patch with an empty object changes nothing, and null removes a key', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.string(), (doc, k) => {
        expect(mergePatch(doc, {})).toEqual(doc);
        expect(Object.prototype.hasOwnProperty.call(mergePatch(doc, { [k]: null }), k)).toBe(false);
      }),
    );
  });

  it('JSON patch add followed by remove of the same path restores the document', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.integer()),
        fc.stringMatching(/^[a-z]{6,8}$/),
        fc.integer(),
        (doc, k, v) => {
          expect(
            jsonPatch(doc, [
              { op: 'add', path: `/${k}`, value: v },
              { op: 'remove', path: `/${k}` },
            ]),
          ).toEqual(doc);
        },
      ),
    );
  });

  it('takes list strategies and merge keys from the schema: merged by key, set-merged, or replaced', () => {
    const live = {
      topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }],
      tolerations: [{ key: 'a', operator: 'Exists' }],
      containers: [{ name: 'web', image: 'nginx', args: ['--a', '--b'] }],
    };
    const patched = strategicMerge(
      live,
      {
        topologySpreadConstraints: [{ topologyKey: 'host', maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' }],
        tolerations: [{ key: 'b', operator: 'Exists' }],
        containers: [{ name: 'web', args: ['--c'] }],
      },
      POD_SPEC,
    ) as typeof live;
    // topologySpreadConstraints: merge on topologyKey; tolerations and args have no strategy: replaced.
    expect(patched.topologySpreadConstraints.map((c) => c.topologyKey)).toEqual(['host', 'zone']);
    expect(patched.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
    expect(patched.containers).toEqual([{ name: 'web', image: 'nginx', args: ['--c'] }]);
  });

  it('answers a JSON patch that does not apply as the real server does', () => {
    for (const op of [
      { op: 'test', path: '/a', value: 2 },
      { op: 'replace', path: '/missing', value: 1 },
      { op: 'remove', path: '/b/c' },
    ])
      expect(() => jsonPatch({ a: 1 }, [op])).toThrow(
        expect.objectContaining({
          code: 422,
          reason: 'Invalid',
          message: 'the server rejected our request due to an error in our request',
        }),
      );
  });
});
