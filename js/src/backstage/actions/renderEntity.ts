// `ecr:render-entity`: the Backstage Resource entity of a request on the Crossplane path (owner,
// system, description, region, the application's source, the Argo CD Application), rendered by the
// core and written into the workspace for catalog:register.
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../../core.js';
import type { EntityOptions } from '../../core.js';
import {
  crossplaneRegion,
  type EcrRegistrarOptions,
  configPathInput,
  openRepo,
  repoPathInput,
  requestInput,
  requestOf,
  writeRendered,
} from '../common.js';
import { callCore, userFacing } from '../errors.js';
import { examples } from './renderEntity.examples.js';

export function createEcrRenderEntityAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:render-entity',
    description:
      'Renders the Backstage Resource entity (ecr-<name>, type container-repository) of an ECR registry request on the Crossplane path into a YAML file in the workspace, for catalog:register.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...requestInput,
        system: (z) => z.string().optional().describe('System of the entity (default container-registry)'),
        sourceUrl: (z) => z.string().optional().describe("The application code's repository, e.g. github.com/acme/payments"),
        argocdApp: (z) => z.string().optional().describe("The Argo CD Application's name (annotation argocd/app-name)"),
        targetPath: (z) => z.string().optional().describe('File in the workspace (default catalog/ecr-<name>.yaml)'),
        repoPath: repoPathInput,
        configPath: configPathInput,
      },
      output: {
        path: (z) => z.string().describe('The file written, relative to the workspace'),
        entityRef: (z) => z.string().describe('resource:default/ecr-<name>'),
        entity: (z) => z.string().describe('The YAML written'),
      },
    },
    async handler(ctx) {
      // Refusals reach the task's log as their message, no stack (./errors.ts).
      await userFacing(options.logger, async () => {
        const { config } = await openRepo(ctx, options);
        const request = requestOf(ctx.input);
        const { system, description, sourceUrl, argocdApp } = ctx.input;
        const opts: EntityOptions = { region: crossplaneRegion(ctx.input.region, config) };
        if (system != null) opts.system = system;
        if (description != null) opts.description = description;
        if (sourceUrl != null) opts.sourceUrl = sourceUrl;
        if (argocdApp != null) opts.argocdApp = argocdApp;
        const out = callCore('ecr:render-entity', () => core.renderRequestEntity(request, opts, config));
        const name = String((out.entity.metadata as { name: string }).name);
        const rel = ctx.input.targetPath ?? `catalog/${name}.yaml`;
        await writeRendered(ctx, rel, out.yaml, request.name);
        ctx.output('entityRef', `resource:default/${name}`);
        ctx.output('entity', out.yaml);
      });
    },
  });
}
