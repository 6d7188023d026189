import { writeFileSync } from 'node:fs';
import { buildManifest, manifestPath, manifestText } from './manifest.ts';

// `npm run generate -w @uncloud/cli`: after a procedure is added to the router, or its input or docs change.
writeFileSync(manifestPath, await manifestText(buildManifest()));
console.log(`wrote ${manifestPath}`);
