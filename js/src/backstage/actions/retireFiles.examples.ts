import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stepsYaml } from '../common.js';

export const examples: TemplateExample[] = [
  {
    description: "The Crossplane path's three files of payments-api, before a pull request deletes them",
    example: stepsYaml([
      {
        id: 'ecr-retire-files',
        action: 'ecr:retire-files',
        input: {
          name: 'payments-api',
          repoPath: 'gitops',
          paths: [
            'crossplane/ecr/payments-api/ecr.yaml',
            'argocd/applications/ecr-payments-api.yaml',
            'catalog/ecr/payments-api.yaml',
          ],
        },
      },
    ]),
  },
];
