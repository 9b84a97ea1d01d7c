aws_region       = "eu-west-2"
environment      = "staging"
ecr_repositories = {}
node_group_sizes = { min = 1, max = 4 }
