import type { BackendFeature } from '@backstage/backend-plugin-api';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import type { Config, FieldError } from '../../pkg/node/ecr_registrar.js';

export interface EcrRegistrarOptions {
  /** Config file inside the checked-out repo (default `registrar.yaml`); an action input overrides it. */
  configPath?: string;
  /** Settings used when the repo has no config file; merged over the platform defaults. */
  defaults?: Partial<Config>;
  /** Today's date as `YYYY-MM-DD` (default: the UTC date). For tests and reproducible runs. */
  today?: () => string;
}

export declare function createEcrValidateAction(options?: EcrRegistrarOptions): TemplateAction<any, any, any>;
export declare function createEcrScaffoldAction(options?: EcrRegistrarOptions): TemplateAction<any, any, any>;
export declare function createEcrRenderCrossplaneAction(options?: EcrRegistrarOptions): TemplateAction<any, any, any>;
export declare function createEcrActions(options?: EcrRegistrarOptions): TemplateAction<any, any, any>[];
export declare function createEcrRegistrarModule(options?: EcrRegistrarOptions): BackendFeature;
/** Validation problems one per line, `  field: message [code]`. */
export declare function describeErrors(errors: FieldError[]): string;
declare const ecrRegistrarModule: BackendFeature;
export default ecrRegistrarModule;
