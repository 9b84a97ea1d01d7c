// Compiled with `tsc --noEmit` by the test command: the shipped declarations (generated from the
// Rust DTOs for the core, written for the glue) must describe how the package is really used.
// Each @ts-expect-error line must fail to type-check, or tsc reports the directive as unused.
import { validateRequest, validateField, scaffold, defaultConfig, type Request, type ValidationReport } from 'ecr-registrar';
import initWeb, { validateField as validateFieldWeb } from 'ecr-registrar/web';
import { createEcrRegistrarModule, createEcrScaffoldAction, describeErrors } from 'ecr-registrar/backstage';
import { createEcrFieldValidator, ecrRegistryNameValidation, initEcrValidation } from 'ecr-registrar/field';

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

export { id, codes, changed, branch, kept, wrong, web, feature, action, text };
