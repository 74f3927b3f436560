#!/bin/bash
# AWS Batch array job: 8 children, each runs one shard (AWS_BATCH_JOB_ARRAY_INDEX and
# AWS_BATCH_JOB_ARRAY_SIZE are set by Batch; --shard auto reads them), writing to S3 through a
# local directory; then a dependent job merges. The image (my-registry/descent-runner) has
# Node ≥ 20, `npm install -g descent` and the AWS CLI. Needs a job queue and the job definition in
# aws-batch-job-definition.json (register it once:
#   aws batch register-job-definition --cli-input-json file://aws-batch-job-definition.json).
set -euo pipefail
QUEUE=${QUEUE:-descent-queue}
ARRAY=$(aws batch submit-job --job-name descent-study --job-queue "$QUEUE" \
  --job-definition descent-shard --array-properties size=8 \
  --query jobId --output text)
aws batch submit-job --job-name descent-study-merge --job-queue "$QUEUE" \
  --job-definition descent-shard --depends-on jobId="$ARRAY" \
  --container-overrides 'command=["bash","-c","aws s3 sync s3://my-bucket/study/shards shards && descent merge shards --out result.json && aws s3 cp result.json s3://my-bucket/study/"]'
echo "submitted array $ARRAY and its merge"
