// A minimal real Backstage backend, as an adopter's packages/backend/src/index.ts has it: the
// default services, the catalog (with the Template kind), the scaffolder with its GitHub actions
// (github:actions:dispatch, publish:github:pull-request), and this package's module from the
// installed tarball (`--without-ecr-registrar`: not added, the benchmark's baseline); with
// `--with-ecr-catalog` the package's catalog module (the entity provider) too, with
// `--with-ecr-entity-locations` its entity-locations module (the Crossplane path's files), with
// `--with-ecr-actions` its actions plugin, and with `--with-mcp` Backstage's MCP actions plugin.
// Started by harness.mjs in a consumer directory, with `--config`.
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
if (!process.argv.includes('--without-ecr-registrar')) backend.add(import('ecr-registrar/backstage'));
if (process.argv.includes('--with-ecr-catalog')) backend.add(import('ecr-registrar/catalog'));
if (process.argv.includes('--with-ecr-entity-locations')) backend.add((await import('ecr-registrar/catalog')).ecrRegistrarEntityLocationsModule);
if (process.argv.includes('--with-ecr-actions')) backend.add(import('ecr-registrar/actions'));
if (process.argv.includes('--with-mcp')) backend.add(import('@backstage/plugin-mcp-actions-backend'));
await backend.start();
