// A Backstage backend plugin (`ecr-registrar`) that registers the registry operations in the
// actions registry, so that `@backstage/plugin-mcp-actions-backend` offers them to agents as MCP
// tools (`ecr-registrar.validate`, `ecr-registrar.scaffold-dry-run`, `ecr-registrar.update-dry-run`,
// `ecr-registrar.decommission-dry-run`). Add it to the backend and list it as an action source:
//
//   backend.add(import('ecr-registrar/actions'));
//   # app-config: backend.actions.pluginSources: ['ecr-registrar']
//
// Every action reads; none writes (the changes themselves go through the scaffolder template).
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { registerDecommission } from './decommission.js';
import { RepoReader, readRepoSettings } from './repo.js';
import { registerScaffold } from './scaffold.js';
import { registerUpdate } from './update.js';
import { registerValidate } from './validate.js';

export { readRepoSettings, type RepoSettings } from './repo.js';

export const ecrRegistrarActionsPlugin = createBackendPlugin({
  pluginId: 'ecr-registrar',
  register(reg) {
    reg.registerInit({
      deps: {
        registry: actionsRegistryServiceRef,
        config: coreServices.rootConfig,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
      },
      async init({ registry, config, urlReader, catalog }) {
        const settings = readRepoSettings(config);
        const repo = () => new RepoReader(settings, urlReader);
        registerValidate(registry, repo, catalog);
        registerScaffold(registry, repo, catalog);
        registerUpdate(registry, repo);
        registerDecommission(registry, repo);
      },
    });
  },
});

export default ecrRegistrarActionsPlugin;
