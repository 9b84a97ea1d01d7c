import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { EXAMPLE_REQUEST, stepsYaml } from '../common.js';

export const examples: TemplateExample[] = [
  {
    description: 'Edit the infra repo fetched into ./infra, then open a pull request',
    example: stepsYaml([
      {
        id: 'ecr-scaffold',
        action: 'ecr:scaffold',
        input: { ...EXAMPLE_REQUEST, repoPath: 'infra' },
      },
      {
        id: 'publish',
        action: 'publish:github:pull-request',
        input: {
          repoUrl: 'github.com?owner=acme&repo=platform-infra',
          sourcePath: 'infra',
          branchName: "${{ steps['ecr-scaffold'].output.branchName }}",
          title: "${{ steps['ecr-scaffold'].output.prTitle }}",
          description: "${{ steps['ecr-scaffold'].output.prBody }}",
          labels: ['ecr-registry'],
        },
      },
    ]),
  },
];
