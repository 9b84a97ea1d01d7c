// Backstage backend module (new backend system) that adds the `ecr:validate`, `ecr:scaffold` and
// `ecr:render-crossplane` scaffolder actions. Add it to the backend:
//
//   backend.add(import('ecr-registrar/backstage'));
//
// or, with options:
//
//   import { createEcrRegistrarModule } from 'ecr-registrar/backstage';
//   backend.add(createEcrRegistrarModule({ configPath: 'platform/registrar.yaml' }));
import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createEcrRenderCrossplaneAction,
  createEcrScaffoldAction,
  createEcrValidateAction,
  describeErrors,
} from './actions.js';

export { createEcrRenderCrossplaneAction, createEcrScaffoldAction, createEcrValidateAction, describeErrors };

/** All three actions with the same options. */
export function createEcrActions(options = {}) {
  return [createEcrValidateAction(options), createEcrScaffoldAction(options), createEcrRenderCrossplaneAction(options)];
}

/** A scaffolder module registering both actions; `options` as in `EcrRegistrarOptions`. */
export function createEcrRegistrarModule(options = {}) {
  return createBackendModule({
    pluginId: 'scaffolder',
    moduleId: 'ecr-registrar',
    register(reg) {
      reg.registerInit({
        deps: { scaffolder: scaffolderActionsExtensionPoint },
        async init({ scaffolder }) {
          scaffolder.addActions(...createEcrActions(options));
        },
      });
    },
  });
}

/** The module with the platform defaults (`registrar.yaml` in the checked-out repo still applies). */
export default createEcrRegistrarModule();
