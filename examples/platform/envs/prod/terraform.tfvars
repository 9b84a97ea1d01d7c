aws_region  = "eu-west-2"
environment = "prod"

ecr_repositories = {
  "checkout-web" = {
    metadata = {
      id    = "REGISTRY_CHECKOUT_WEB"
      owner = "app-team"
      risk  = "high"
    }
  }
}
