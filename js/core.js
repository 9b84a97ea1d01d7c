// The Node build of the Rust core (pkg/node is CommonJS; this re-exports it for ES modules).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const core = require('../pkg/node/ecr_registrar.js');

export const {
  validateRequest,
  validateField,
  registryId,
  scaffold,
  defaultConfig,
  configFromYaml,
  unifiedDiff,
  renderLifecyclePolicy,
  validateLifecyclePolicy,
  renderCrossplane,
  renderCrossplaneYaml,
  renderEntities,
  version,
} = core;
export default core;
