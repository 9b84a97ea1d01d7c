# Development environment inputs.
aws_region  = "eu-west-2"
environment = "dev"

cluster_name = "example-dev" # EKS cluster

ecr_repositories = {
  "ledger-sync" = {
    metadata = {
      id    = "REGISTRY_LEDGER_SYNC"
      owner = "database-team"
      risk  = "low"
    }
  }
}

tags = {
  team       = "platform-team"
  managed_by = "terraform"
}
