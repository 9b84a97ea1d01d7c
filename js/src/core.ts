// The Node build of the Rust core (pkg/node, CommonJS), re-exported for ES modules with the types
// tsify generated from the Rust DTOs. Nothing is decided here.
export {
  validateRequest,
  validateField,
  alreadyRequested,
  registryId,
  entityName,
  requestPaths,
  missingTerraformRoot,
  scaffold,
  update,
  decommission,
  changes,
  defaultConfig,
  configFromYaml,
  unifiedDiff,
  renderLifecyclePolicy,
  validateLifecyclePolicy,
  renderCrossplane,
  renderCrossplaneYaml,
  renderEntities,
  stableCodes,
  version,
} from '../../pkg/node/ecr_registrar.js';
export type * from '../../pkg/node/ecr_registrar.js';
