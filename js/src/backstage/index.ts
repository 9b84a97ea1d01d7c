// Backstage backend module (new backend system) that adds the `ecr:validate`, `ecr:scaffold`,
// `ecr:update`, `ecr:decommission`, `ecr:render-crossplane`, `ecr:render-argocd`,
// `ecr:render-entity`, `ecr:retire-files` and `ecr:check-open-request` scaffolder actions. Add it to the backend:
//
//   backend.add(import('ecr-registrar/backstage'));
//
// or, with options:
//
//   import { createEcrRegistrarModule } from 'ecr-registrar/backstage';
//   backend.add(createEcrRegistrarModule({ configPath: 'platform/registrar.yaml' }));
import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { DefaultGithubCredentialsProvider, ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import type { EcrRegistrarOptions } from './common.js';
import { createEcrCheckOpenRequestAction } from './actions/checkOpenRequest.js';
import { createEcrDecommissionAction } from './actions/decommission.js';
import { createEcrRenderArgocdAction } from './actions/renderArgocd.js';
import { createEcrRenderCrossplaneAction } from './actions/renderCrossplane.js';
import { createEcrRenderEntityAction } from './actions/renderEntity.js';
import { createEcrRetireFilesAction } from './actions/retireFiles.js';
import { createEcrScaffoldAction } from './actions/scaffold.js';
import { createEcrUpdateAction } from './actions/update.js';
import { createEcrValidateAction } from './actions/validate.js';

export type { EcrRegistrarOptions } from './common.js';
export { describeErrors } from './errors.js';
export {
  createEcrCheckOpenRequestAction,
  createEcrDecommissionAction,
  createEcrRenderArgocdAction,
  createEcrRenderCrossplaneAction,
  createEcrRenderEntityAction,
  createEcrRetireFilesAction,
  createEcrScaffoldAction,
  createEcrUpdateAction,
  createEcrValidateAction,
};

/** All the actions with the same options. */
export function createEcrActions(options: EcrRegistrarOptions = {}) {
  return [
    createEcrValidateAction(options),
    createEcrScaffoldAction(options),
    createEcrUpdateAction(options),
    createEcrDecommissionAction(options),
    createEcrRenderCrossplaneAction(options),
    createEcrRenderArgocdAction(options),
    createEcrRenderEntityAction(options),
    createEcrRetireFilesAction(options),
    createEcrCheckOpenRequestAction(options),
  ] as const;
}

/**
 * A scaffolder module registering the actions; `options` as in `EcrRegistrarOptions`. The
 * backend's catalog service is passed to them (unless `options.catalog` is given), so
 * `ecr:validate` and `ecr:scaffold` refuse a name the catalog already has; its logger, which
 * gets the stack of a server fault (people see the message only); and its SCM integrations with
 * Backstage's GitHub credentials provider, as the GitHub module builds them from the same config,
 * through which `ecr:check-open-request` asks GitHub.
 */
export function createEcrRegistrarModule(options: EcrRegistrarOptions = {}) {
  return createBackendModule({
    pluginId: 'scaffolder',
    moduleId: 'ecr-registrar',
    register(reg) {
      reg.registerInit({
        deps: { scaffolder: scaffolderActionsExtensionPoint, catalog: catalogServiceRef, logger: coreServices.logger, config: coreServices.rootConfig },
        async init({ scaffolder, catalog, logger, config }) {
          const integrations = options.integrations ?? ScmIntegrations.fromConfig(config);
          const githubCredentialsProvider = options.githubCredentialsProvider ?? DefaultGithubCredentialsProvider.fromIntegrations(integrations);
          scaffolder.addActions(...createEcrActions({ catalog, logger, ...options, integrations, githubCredentialsProvider }));
        },
      });
    },
  });
}

/** The module with the platform defaults (`registrar.yaml` in the checked-out repo still applies). */
const ecrRegistrarModule = createEcrRegistrarModule();
export default ecrRegistrarModule;
