// Backstage catalog backend module: the registry's entities straight from AWS ECR, on Backstage's
// scheduler, rendered by the same WebAssembly core as `ecr-registrar sync`. Add it to the backend:
//
//   backend.add(import('ecr-registrar/catalog'));
//
// and configure `ecrRegistrar.catalog` in app-config (docs/backstage.md has the reference).
import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readCatalogSettings } from './config.js';
import { EcrCatalogProviders } from './provider.js';

export { readCatalogSettings, DEFAULT_SCHEDULE, type CatalogSettings } from './config.js';
export { EcrCatalogProviders, providerName, type RunResult } from './provider.js';
export { listTarget } from './listing.js';
export {
  ecrRegistrarEntityLocationsModule,
  EcrEntityLocationProcessor,
  readEntityLocations,
  ENTITY_LOCATIONS_KEY,
} from './entityLocations.js';

/** The scheduler task's id (its trigger: `POST /api/catalog/.backstage/scheduler/v1/tasks/<id>/trigger`). */
export const TASK_ID = 'ecr-registrar:catalog-sync';

export const ecrRegistrarCatalogModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ecr-registrar',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        urlReader: coreServices.urlReader,
      },
      async init({ catalog, config, logger, scheduler, urlReader }) {
        const settings = readCatalogSettings(config);
        const providers = new EcrCatalogProviders(settings);
        catalog.addEntityProvider(providers.all());
        await scheduler.scheduleTask({
          id: TASK_ID,
          ...settings.schedule,
          scope: 'global',
          fn: async () => {
            await providers.whenConnected(60_000);
            const r = await providers.run({ logger, urlReader });
            logger.info(`ecr-registrar: applied ${JSON.stringify(r.applied)}; ${r.failed.length} target(s) failed`);
          },
        });
      },
    });
  },
});

export default ecrRegistrarCatalogModule;
