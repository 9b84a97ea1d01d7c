// A minimal real Backstage backend, as an adopter's packages/backend/src/index.ts has it: the
// default services, the catalog (with the Template kind), the scaffolder with its GitHub actions
// (github:actions:dispatch, publish:github:pull-request), and this package's module from the
// installed tarball (`--without-ecr-registrar`: not added, the benchmark's baseline).
// Started by harness.mjs in a consumer directory, with `--config`.
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
if (!process.argv.includes('--without-ecr-registrar')) backend.add(import('ecr-registrar/backstage'));
await backend.start();
