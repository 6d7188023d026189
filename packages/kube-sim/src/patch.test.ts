import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, strategicMerge } from './patch.ts';

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
        const once = strategicMerge(target, patch) as { containers: { name: string; image: string }[] };
        expect(strategicMerge(once, patch)).toEqual(once);
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
});
