// MCP action `validate`: a registry request checked with the wizard's and the CLI's rules, and
// against the catalog (a name it already has is refused, as `ecr:validate` does). Every problem
// comes back with its stable code; only malformed input is an error.
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import * as core from '../../core.js';
import type { Request } from '../../core.js';
import type { CatalogLookup } from '../common.js';
import { validateExamples } from './examples.js';
import type { RepoReader } from './repo.js';
import { requestFields } from './shared.js';

export function registerValidate(registry: ActionsRegistryService, repo: () => RepoReader, catalog: CatalogLookup | undefined) {
  registry.register({
    name: 'validate',
    title: 'Validate an ECR registry request',
    description:
      'Checks an ECR registry request (name, owner, environment, risk tier) with the same rules as the Backstage wizard and the ecr-registrar CLI: the platform, AWS ECR and Backstage naming rules, the configured owners, environments and risk tiers, and whether the catalog already has the registry. Returns every problem with a stable code; changes nothing.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    examples: validateExamples(),
    schema: {
      input: (z) => z.object(requestFields(z)),
      output: (z) =>
        z.object({
          valid: z.boolean(),
          registryId: z.string().nullable().describe('Governance id, e.g. REGISTRY_PAYMENTS_API'),
          entityName: z.string().nullable().describe('Backstage entity name, e.g. ecr-payments-api'),
          errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
        }),
    },
    action: async ({ input, credentials }) => {
      const request = input as Request;
      const config = await repo().config();
      const report = core.validateRequest(request, config);
      const errors = report.errors.map(({ field, code, message }) => ({ field, code: String(code), message }));
      if (report.valid && catalog) {
        const existing = await existingEntity(catalog, request.name, credentials);
        if (existing) {
          const e = core.alreadyRequested(request.name, existing.ref, existing.owner);
          errors.push({ field: e.field, code: String(e.code), message: e.message });
        }
      }
      const valid = errors.length === 0;
      return {
        output: {
          valid,
          registryId: valid ? (report.registryId ?? null) : null,
          entityName: valid ? core.entityName(request.name) : null,
          errors,
        },
      };
    },
  });
}

async function existingEntity(catalog: CatalogLookup, name: string, credentials: BackstageCredentials) {
  const ref = `resource:default/${core.entityName(name)}`;
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) return undefined;
  return { ref, owner: typeof entity.spec?.owner === 'string' ? entity.spec.owner : null };
}
