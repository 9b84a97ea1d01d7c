// A minimal real Backstage backend, as an adopter's packages/backend/src/index.ts has it: the
// default services, the catalog and the scaffolder, and this package's module from the installed
// tarball. Started by tests/node/backstage.test.mjs in a consumer directory, with `--config`.
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
// The Template kind in the catalog (every app with the scaffolder has it).
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('ecr-registrar/backstage'));
await backend.start();
