import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { EXAMPLE_REQUEST, stepsYaml } from '../common.js';

export const examples: TemplateExample[] = [
  {
    description: 'Write argocd/applications/ecr-payments-api.yaml, syncing crossplane/ecr/payments-api to the cluster picked in the form',
    example: stepsYaml([
      {
        id: 'ecr-render-argocd',
        action: 'ecr:render-argocd',
        input: {
          ...EXAMPLE_REQUEST,
          cluster: 'resource:default/prod-eu-west-2',
          repoUrl: 'https://github.com/acme/platform-gitops',
          path: 'crossplane/ecr/payments-api',
          targetPath: 'argocd/applications/ecr-payments-api.yaml',
        },
      },
    ]),
  },
];
