// Compiled with `tsc --noEmit` by the test command: the shipped declarations (generated from the
// Rust DTOs for the core by tsify, emitted by tsc from js/src for the glue) must describe how the
// package is really used, and none of its public types may be `any`.
// Each @ts-expect-error line must fail to type-check, or tsc reports the directive as unused.
import { validateRequest, validateField, scaffold, defaultConfig, renderArgoApplication, type Request, type ValidationReport } from 'ecr-registrar';
import initWeb, { validateField as validateFieldWeb } from 'ecr-registrar/web';
import { createEcrCheckOpenRequestAction, createEcrRegistrarModule, createEcrScaffoldAction, describeErrors } from 'ecr-registrar/backstage';
import { ScmIntegrations } from '@backstage/integration';
import { mockServices } from '@backstage/backend-test-utils';
import { createEcrFieldValidator, ecrRegistryNameValidation, initEcrValidation, checkField } from 'ecr-registrar/field';
import { createEcrRegistryNameFieldExtension, EcrRegistryNameInput } from 'ecr-registrar/field/extension';
import * as backstage from 'ecr-registrar/backstage';
import * as field from 'ecr-registrar/field';
import * as extension from 'ecr-registrar/field/extension';
import * as alpha from 'ecr-registrar/field/alpha';
import * as catalogModule from 'ecr-registrar/catalog';
import * as actionsPlugin from 'ecr-registrar/actions';
import { renderEstate, type EstateOutput } from 'ecr-registrar';
import type { FieldCode, StableCodes } from 'ecr-registrar';

const request: Request = { name: 'payments-api', owner: 'app-team', environment: 'dev', risk: 'low' };
const report: ValidationReport = validateRequest(request);
const id: string | null = report.registryId;
const codes: string[] = report.errors.map((e) => e.code);
validateRequest(request, { environments: ['dev', 'qa'] });
validateField('name', 'abc-', null);

const out = scaffold(request, { catalog: null, tfvars: 'ecr_repositories = {}\n' }, '2026-11-21');
const changed: boolean = out.catalog.changed || out.tfvars.changed;
const branch: string = out.pullRequest.branchName;
const tiers = defaultConfig().riskTiers;
const kept: number | undefined = tiers?.high.retentionImages;

const app: string = renderArgoApplication(request, { cluster: 'prod', repoUrl: 'https://github.com/acme/gitops', path: 'crossplane/ecr/payments-api' }).yaml;
// @ts-expect-error: the Application needs the manifests' path
renderArgoApplication(request, { cluster: 'prod', repoUrl: 'https://github.com/acme/gitops' });

// @ts-expect-error: the request's name is required
validateRequest({ owner: 'app-team' });
// @ts-expect-error: a misspelt config key is a type error (and a runtime error)
validateRequest(request, { enviroments: ['dev'] });
// @ts-expect-error: errors are objects, not strings
const wrong: string[] = validateField('name', 'x');

async function web(): Promise<void> {
  await initWeb();
  validateFieldWeb('name', 'payments-api');
  await initEcrValidation(new Uint8Array());
  await ecrRegistryNameValidation('abc-', { addError: (m: string) => void m });
  await createEcrFieldValidator('owner', null)('x', { addError() {} });
  // @ts-expect-error: only the request's fields can be validated
  createEcrFieldValidator('colour');
}

const feature = createEcrRegistrarModule({ configPath: 'registrar.yaml', today: () => '2026-11-21' });
const action = createEcrScaffoldAction({ defaults: { environments: ['dev'] } });
const text: string = describeErrors(report.errors);
// @ts-expect-error: unknown option
createEcrRegistrarModule({ configFile: 'x' });
// The GitHub integrations ecr:check-open-request asks through (the module reads the backend's).
const integrations = ScmIntegrations.fromConfig(mockServices.rootConfig({ data: { integrations: { github: [{ host: 'github.com', token: 't' }] } } }));
const checkAction = createEcrCheckOpenRequestAction({ integrations });
type CheckInput = Parameters<typeof checkAction['handler']>[0]['input'];
const checkInput: CheckInput = { repoUrl: 'github.com?owner=acme&repo=platform-gitops', branchName: 'registry/create-payments-api' };
// @ts-expect-error: integrations are Backstage's registry, not its config
createEcrCheckOpenRequestAction({ integrations: { github: [] } });

// No public type is `any`: `IsAny<T>` is true only for `any`.
type IsAny<T> = 0 extends 1 & T ? true : false;
type NoAny<M> = { [K in keyof M]: IsAny<M[K]> };
const backstageTypes: NoAny<typeof backstage> = {
  default: false,
  createEcrActions: false,
  createEcrRegistrarModule: false,
  createEcrScaffoldAction: false,
  createEcrValidateAction: false,
  createEcrRenderCrossplaneAction: false,
  createEcrRenderArgocdAction: false,
  createEcrRenderEntityAction: false,
  createEcrRetireFilesAction: false,
  createEcrCheckOpenRequestAction: false,
  createEcrUpdateAction: false,
  createEcrDecommissionAction: false,
  describeErrors: false,
};
const fieldTypes: NoAny<typeof field> = {
  initEcrValidation: false,
  checkField: false,
  createEcrFieldValidator: false,
  ecrRegistryNameValidation: false,
  isEcrValidationReady: false,
  checkFieldNow: false,
  checkCatalog: false,
};
const extensionTypes: NoAny<typeof extension> = {
  FIELD_NAME: false,
  EcrRegistryNameInput: false,
  createEcrRegistryNameFieldExtension: false,
  createEcrRegistryNameInput: false,
  CATALOG_DEBOUNCE_MS: false,
};
const alphaTypes: NoAny<typeof alpha> = {
  FIELD_NAME: false,
  default: false,
  ecrRegistryNameFormField: false,
  createEcrRegistryNameFormField: false,
};
const catalogTypes: NoAny<typeof catalogModule> = {
  default: false,
  ecrRegistrarCatalogModule: false,
  readCatalogSettings: false,
  DEFAULT_SCHEDULE: false,
  EcrCatalogProviders: false,
  providerName: false,
  listTarget: false,
  TASK_ID: false,
  ecrRegistrarEntityLocationsModule: false,
  EcrEntityLocationProcessor: false,
  readEntityLocations: false,
  ENTITY_LOCATIONS_KEY: false,
};
const actionsTypes: NoAny<typeof actionsPlugin> = { default: false, ecrRegistrarActionsPlugin: false, readRepoSettings: false };
const estate: EstateOutput = renderEstate(['{"repositories": []}', null], null, '2026-12-07T10:00:00Z', null);
// @ts-expect-error: listings are texts or null, not parsed objects
renderEstate([{ repositories: [] }], null, '2026-12-07T10:00:00Z');
// The actions' inputs and outputs are typed from their zod schemas.
type ScaffoldInput = Parameters<ReturnType<typeof createEcrScaffoldAction>['handler']>[0]['input'];
const inputTypes: NoAny<ScaffoldInput> = { name: false, owner: false, environment: false, risk: false };
// @ts-expect-error: the name is a string, not a number
const badName: ScaffoldInput = { name: 1, owner: 'a', environment: 'dev', risk: 'low' };
// Codes are a union generated from the Rust enum, not `string`.
const code: FieldCode = 'name_aws_pattern';
// @ts-expect-error: not a code
const notCode: FieldCode = 'name_is_bad';
const codeList: (c: StableCodes) => string = (c) => c.fieldCodes[0]?.code ?? '';
const ext = createEcrRegistryNameFieldExtension(null);
const input = EcrRegistryNameInput;
const checked: Promise<{ code: FieldCode }[]> = checkField('name', 'x');
// @ts-expect-error: checkField takes a field name the core knows
checkField('colour', 'x');

export { catalogTypes, actionsTypes, estate, backstageTypes, fieldTypes, extensionTypes, alphaTypes, inputTypes, badName, code, notCode, codeList, ext, input, checked };
export { id, codes, changed, branch, kept, wrong, web, feature, action, text, checkInput };
