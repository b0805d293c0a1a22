#pragma once
// A SageMaker processing job that runs our `train` and `score` steps in a container image
// holding the binary (Dockerfile at the repository's root), against the S3 lake: the
// CreateProcessingJob request, printed (--dry-run) or sent with SigV4.

#include <nlohmann/json.hpp>
#include <string>

#include "cloud/aws.h"

namespace aa::aws {

struct ProcessingJobSpec {
  std::string job_name;       // empty: airline-analytics-<UTC time>
  std::string role_arn;       // ROLE_ARN
  std::string image_uri;      // the image built from the Dockerfile, pushed to ECR
  std::string instance_type;  // PROCESSING_INSTANCE_TYPE
  int instance_count = 1;
  int volume_gb = 30;
  int max_runtime_seconds = 3600;
  std::string lake_uri;  // s3://bucket/prefix
};

// The request body; AppError(InvalidInput) naming what is missing or malformed.
nlohmann::json processing_job_request(const ProcessingJobSpec& spec, const core::CloudConfig& cloud,
                                      const std::string& region);

// Sends it; returns the answer (ProcessingJobArn).
nlohmann::json create_processing_job(const AwsContext& context, const nlohmann::json& request);

}  // namespace aa::aws
