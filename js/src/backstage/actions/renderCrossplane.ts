// `ecr:render-crossplane`: the Crossplane `Repository` and `LifecyclePolicy` of a request written
// into the workspace (the template guide's Crossplane path); controls from the risk tier.
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../../core.js';
import type { CrossplaneOptions } from '../../core.js';
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
import { examples } from './renderCrossplane.examples.js';

export function createEcrRenderCrossplaneAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:render-crossplane',
    description:
      'Renders the Crossplane Repository and LifecyclePolicy (ecr.aws.m.upbound.io/v1beta1) for an ECR registry request into one YAML file in the workspace. Encryption, tag mutability, scanning and retention follow the risk tier; the lifecycle policy is validated against AWS rules.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...requestInput,
        namespace: (z) => z.string().optional().describe('Namespace of both objects (default crossplane-system)'),
        system: (z) => z.string().optional().describe('The system tag (default: domain, else container-registry)'),
        keep: (z) => z.number().int().optional().describe("Images to keep (default: the risk tier's retention)"),
        expireUntaggedDays: (z) => z.number().int().optional().describe('Expire untagged images after this many days'),
        kmsKeyRef: (z) => z.string().optional().describe('Crossplane KMS Key for KMS tiers (default: AWS managed key)'),
        targetPath: (z) => z.string().optional().describe('File in the workspace (default crossplane/<name>.yaml)'),
        repoPath: repoPathInput,
        configPath: configPathInput,
      },
      output: {
        path: (z) => z.string().describe('The file written, relative to the workspace'),
        manifests: (z) => z.string().describe('The YAML written'),
        prBody: (z) =>
          z
            .string()
            .describe('Markdown for the pull request: the request (every value escaped), its controls and scanning'),
      },
    },
    async handler(ctx) {
      await userFacing(options.logger, async () => {
        const { config } = await openRepo(ctx, options);
        const request = requestOf(ctx.input);
        const { namespace, system, keep, expireUntaggedDays, kmsKeyRef } = ctx.input;
        // Only the options given: the core rejects unknown keys, and null is not a value.
        const crossplane: CrossplaneOptions = { region: crossplaneRegion(ctx.input.region, config) };
        if (namespace != null) crossplane.namespace = namespace;
        if (system != null) crossplane.system = system;
        if (keep != null) crossplane.keep = keep;
        if (expireUntaggedDays != null) crossplane.expireUntaggedDays = expireUntaggedDays;
        if (kmsKeyRef != null) crossplane.kmsKeyRef = kmsKeyRef;
        const yaml = callCore('ecr:render-crossplane', () => core.renderCrossplaneYaml(request, crossplane, config));
        // The name is validated (platform, AWS, Kubernetes rules) before it becomes a path.
        const rel = ctx.input.targetPath ?? `crossplane/${request.name}.yaml`;
        await writeRendered(ctx, rel, yaml, request.name);
        ctx.output('manifests', yaml);
        ctx.output(
          'prBody',
          callCore('ecr:render-crossplane', () => core.crossplanePullRequestBody(request, crossplane, config)),
        );
      });
    },
  });
}
