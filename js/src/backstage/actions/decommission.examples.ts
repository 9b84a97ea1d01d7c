import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stepsYaml } from '../common.js';

export const examples: TemplateExample[] = [
  {
    description: 'Change the infra repo fetched into ./infra, then open a pull request',
    example: stepsYaml([
      {
        id: 'ecr-decommission',
        action: 'ecr:decommission',
        input: { name: 'payments-api', environment: 'dev', repoPath: 'infra' },
      },
      {
        id: 'publish',
        action: 'publish:github:pull-request',
        input: {
          repoUrl: 'github.com?owner=acme&repo=platform-infra',
          sourcePath: 'infra',
          branchName: "${{ steps['ecr-decommission'].output.branchName }}",
          title: "${{ steps['ecr-decommission'].output.prTitle }}",
          description: "${{ steps['ecr-decommission'].output.prBody }}",
          labels: ['ecr-registry'],
        },
      },
    ]),
  },
];
