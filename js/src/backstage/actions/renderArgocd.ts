// `ecr:render-argocd`: the Argo CD Application that syncs a request's Crossplane manifests to the
// chosen cluster, rendered by the core and written into the workspace (the template guide's path).
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../../core.js';
import type { ApplicationOptions } from '../../core.js';
import {
  type EcrRegistrarOptions,
  configPathInput,
  openRepo,
  repoPathInput,
  requestInput,
  requestOf,
  writeRendered,
} from '../common.js';
import { callCore, userFacing } from '../errors.js';
import { examples } from './renderArgocd.examples.js';

/**
 * The cluster as Argo CD names it. A catalog picker gives an entity ref
 * (`resource:default/prod-eu-west-2`): the name of a Resource in the default namespace is the
 * cluster's. Anything else (another kind, another namespace, where `team-a/prod` and
 * `default/prod` would both become `prod`) goes to the core as it is, which says what is wrong.
 */
export function clusterName(cluster: string): string {
  if (!/[:/]/.test(cluster)) return cluster;
  try {
    const ref = parseEntityRef(cluster, { defaultKind: 'resource', defaultNamespace: 'default' });
    if (ref.kind.toLowerCase() === 'resource' && ref.namespace === 'default') return ref.name;
  } catch {
    // not an entity ref
  }
  return cluster;
}

export function createEcrRenderArgocdAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:render-argocd',
    description:
      'Renders the Argo CD Application (argoproj.io/v1alpha1) that syncs an ECR registry request\'s Crossplane manifests from a GitOps repository path to a cluster, automated with pruning, into one YAML file in the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...requestInput,
        cluster: (z) => z.string().describe('Target cluster: its Argo CD name, or its catalog entity ref (resource:default/prod-eu-west-2)'),
        repoUrl: (z) => z.string().describe('The GitOps repository holding the manifests, e.g. https://github.com/acme/platform-gitops'),
        path: (z) => z.string().describe('Directory of the manifests in that repository, e.g. crossplane/ecr/payments-api'),
        targetRevision: (z) => z.string().optional().describe('Revision Argo CD follows (default HEAD)'),
        namespace: (z) => z.string().optional().describe("The Application's namespace (default argocd)"),
        project: (z) => z.string().optional().describe('Argo CD project (default default)'),
        destinationNamespace: (z) => z.string().optional().describe('Namespace of the synced objects (default crossplane-system)'),
        targetPath: (z) => z.string().optional().describe('File in the workspace (default argocd/ecr-<name>.yaml)'),
        repoPath: repoPathInput,
        configPath: configPathInput,
      },
      output: {
        path: (z) => z.string().describe('The file written, relative to the workspace'),
        name: (z) => z.string().describe("The Application's name (ecr-<name>)"),
        cluster: (z) => z.string().describe('The destination cluster, as Argo CD names it'),
        application: (z) => z.string().describe('The YAML written'),
      },
    },
    async handler(ctx) {
      // Refusals reach the task's log as their message, no stack (./errors.ts).
      await userFacing(options.logger, async () => {
        const { config } = await openRepo(ctx, options);
        const request = requestOf(ctx.input);
        const { cluster, repoUrl, path, targetRevision, namespace, project, destinationNamespace } = ctx.input;
        // Only the options given: the core rejects unknown keys, and null is not a value.
        const app: ApplicationOptions = { cluster: clusterName(cluster), repoUrl, path };
        if (targetRevision != null) app.targetRevision = targetRevision;
        if (namespace != null) app.namespace = namespace;
        if (project != null) app.project = project;
        if (destinationNamespace != null) app.destinationNamespace = destinationNamespace;
        const out = callCore('ecr:render-argocd', () => core.renderArgoApplication(request, app, config));
        // The cluster is one the catalog has, as a kubernetes-cluster Resource, however it was
        // given: the form's picker gives a ref, a request through the API may name anything, a
        // plain name (`in-cluster`) included. (The core checked the name above: a Backstage entity
        // name, letters, digits and `-_.` only, safe to repeat.)
        if (options.catalog) {
          const ref = `resource:default/${app.cluster}`;
          const entity = await options.catalog.getEntityByRef(ref, { credentials: await ctx.getInitiatorCredentials() });
          if (!entity) throw new InputError(`cluster ${JSON.stringify(ref)} is not in the catalog; pick a cluster (a Resource of type kubernetes-cluster)`);
          if (entity.spec?.type !== 'kubernetes-cluster') {
            throw new InputError(`cluster ${JSON.stringify(ref)} is not a kubernetes-cluster Resource; pick a cluster`);
          }
        }
        const name = String((out.application.metadata as { name: string }).name);
        // The name is validated (platform, AWS, Kubernetes rules) before it becomes a path.
        const rel = ctx.input.targetPath ?? `argocd/${name}.yaml`;
        await writeRendered(ctx, rel, out.yaml, request.name);
        ctx.output('name', name);
        ctx.output('cluster', app.cluster);
        ctx.output('application', out.yaml);
      });
    },
  });
}
