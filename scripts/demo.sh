#!/usr/bin/env bash
# The main job on the bundled example platform repo: validate a request, preview the pull request's
# edits as a diff, apply them, show that running the same request again changes nothing, then
# render the Backstage entities from an ECR listing and check them.
# Works on a copy in a temp dir; examples/platform stays as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --rust-only
cargo build --quiet --locked --release --features cli
bin=$PWD/target/release/ecr-registrar
repo=$(mktemp -d)
cp -r examples/platform/. "$repo"/

run() { printf '\n$ %s\n' "$*"; "$@"; }
request=(--name payments-api --owner platform-team --requester daniel-deans --domain delivery
         --environment staging --risk medium)

run "$bin" validate --name 'payments-api-' --environment '../prod' || true
run "$bin" scaffold --repo "$repo" "${request[@]}" --dry-run
run "$bin" scaffold --repo "$repo" "${request[@]}"
run "$bin" scaffold --repo "$repo" "${request[@]}"
# After the apply: the Backstage entities from AWS (the embedded listing stands in for ECR here;
# with credentials, drop --from-json and pass --region).
run "$bin" sync --repo "$repo" --from-json examples/aws/describe-repositories.json
run "$bin" sync --repo "$repo" --from-json examples/aws/describe-repositories.json --check
run "$bin" lifecycle render --keep 30 --expire-untagged-days 7
printf '\nThe edited copy is in %s\n' "$repo"
