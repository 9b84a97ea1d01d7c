// `ecr:validate`: the request checked with the same rules as the wizard and the CLI.
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../../core.js';
import type { CrossplaneOptions, EntityOptions } from '../../core.js';
import {
  type EcrRegistrarOptions,
  checkRequest,
  crossplaneRegion,
  configPathInput,
  openRepo,
  repoPathInput,
  requestInput,
  requestOf,
} from '../common.js';
import { callCore, userFacing } from '../errors.js';
import { checkEdit } from '../request.js';
import { examples } from './validate.examples.js';

export function createEcrValidateAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:validate',
    description:
      'Validates an ECR registry request with the same rules as the wizard and the CLI (platform, AWS and Backstage naming rules; owners, environments, risk tiers). Fails with every problem listed.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...requestInput,
        repoPath: repoPathInput,
        configPath: configPathInput,
        checkFiles: (z) =>
          z
            .boolean()
            .optional()
            .describe(
              "Also make ecr:scaffold's edit of the checked-out platform repo in memory (nothing is written) and fail with its refusals: the environment's Terraform region, a name the catalog has, a missing Terraform root. For the dispatch path, where a workflow makes the edit later",
            ),
        crossplane: (z) =>
          z
            .boolean()
            .optional()
            .describe(
              "Also render the Crossplane manifests and the catalog entity in memory (nothing is written) and fail with ecr:render-crossplane's and ecr:render-entity's refusals: no region and no defaultRegion, a name Kubernetes or YAML 1.1 readers take otherwise (over 54 characters, `on`, `yes`), a system or source URL they refuse. For the Crossplane path, so the request fails here, before anything reaches GitHub",
            ),
        system: (z) =>
          z.string().optional().describe('With crossplane: the system tag and entity system to check (default: domain, else container-registry)'),
        sourceUrl: (z) =>
          z.string().optional().describe("With crossplane: the application code's repository to check, as ecr:render-entity takes it"),
      },
      output: {
        registryId: (z) => z.string().describe('Governance id, e.g. REGISTRY_PAYMENTS_API'),
        entityName: (z) => z.string().describe('Backstage entity name, e.g. ecr-payments-api'),
        owner: (z) =>
          z
            .string()
            .describe(
              "The owner as validated: an OwnerPicker's ref of the default namespace (group:default/app-team) as its name (app-team). Pass this on, not the form's value, to what checks the request again (the dispatch workflow's CLI)",
            ),
      },
    },
    async handler(ctx) {
      await userFacing(options.logger, async () => {
        const { repoDir, config } = await openRepo(ctx, options);
        const request = requestOf(ctx.input);
        const report = await checkRequest(options, request, config, () => ctx.getInitiatorCredentials());
        if (ctx.input.checkFiles) await checkEdit('ecr:validate', repoDir, options, request, config);
        if (ctx.input.crossplane) {
          const { system, sourceUrl } = ctx.input;
          const crossplane: CrossplaneOptions = { region: crossplaneRegion(request.region, config) };
          const entity: EntityOptions = { region: crossplane.region };
          if (system != null) crossplane.system = entity.system = system;
          if (request.description != null) entity.description = request.description;
          if (sourceUrl != null) entity.sourceUrl = sourceUrl;
          callCore('ecr:validate', () => core.renderCrossplaneYaml(request, crossplane, config));
          callCore('ecr:validate', () => core.renderRequestEntity(request, entity, config));
        }
        ctx.logger.info(`Request for ${request.name} is valid (${report.registryId})`);
        ctx.output('registryId', report.registryId ?? '');
        ctx.output('entityName', core.entityName(request.name));
        ctx.output('owner', request.owner ?? '');
      });
    },
  });
}
