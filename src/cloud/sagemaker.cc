#include "cloud/sagemaker.h"

#include <fmt/format.h>

#include <ctime>
#include <regex>

#include "cloud/s3.h"
#include "core/app_error.h"

namespace aa::aws {

nlohmann::json processing_job_request(const ProcessingJobSpec& spec, const core::CloudConfig& cloud,
                                      const std::string& region) {
  static const std::regex kRole(R"(^arn:aws[a-z-]*:iam::\d{12}:role/.+$)");
  if (!std::regex_match(spec.role_arn, kRole)) {
    core::fail(core::ErrorKind::InvalidInput,
               "--role-arn (or ROLE_ARN) '{}' is not an IAM role ARN "
               "(arn:aws:iam::<12-digit account>:role/<name>)",
               spec.role_arn);
  }
  if (spec.image_uri.empty() || spec.image_uri.find(' ') != std::string::npos) {
    core::fail(core::ErrorKind::InvalidInput,
               "--image needs the URI of the image built from the Dockerfile, such as "
               "123456789012.dkr.ecr.us-east-1.amazonaws.com/airline-analytics:0.1.0");
  }
  if (spec.instance_type.rfind("ml.", 0) != 0) {
    core::fail(core::ErrorKind::InvalidInput,
               "the instance type '{}' is not a SageMaker type (ml.*)", spec.instance_type);
  }
  const S3Uri lake = parse_s3_uri(spec.lake_uri);
  if (lake.bucket.empty()) {
    core::fail(core::ErrorKind::InvalidInput,
               "the processing job needs an S3 lake: --lake s3://bucket/prefix "
               "or S3_BUCKET");
  }
  std::string name = spec.job_name;
  if (name.empty()) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
    name = std::string("airline-analytics-") + stamp;
  }
  static const std::regex kName(R"(^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$)");
  if (!std::regex_match(name, kName)) {
    core::fail(
        core::ErrorKind::InvalidInput,
        "the job name '{}' must be 1-63 letters, digits and hyphens, starting with a letter or "
        "digit",
        name);
  }
  // The container runs train, then score, each on the S3 lake (they bring the local mirror up
  // to date and upload what they publish). Settings travel as environment variables.
  nlohmann::json environment = {
      {"AIRLINE_LAKE", to_string(lake)},
      {"AIRLINE_LAKE_CACHE", "/opt/ml/processing/lake-cache"},
      {"AWS_REGION", region},
      {"RAW_PREFIX", cloud.raw_prefix},
      {"PROCESSED_PREFIX", cloud.processed_prefix},
      {"CURATED_PREFIX", cloud.curated_prefix},
      {"AIRLINE_PROGRESS", "never"},
  };
  return {
      {"ProcessingJobName", name},
      {"RoleArn", spec.role_arn},
      {"AppSpecification",
       {{"ImageUri", spec.image_uri},
        {"ContainerEntrypoint", {"/bin/sh", "-c"}},
        {"ContainerArguments", {"airline-analytics train && airline-analytics score"}}}},
      {"ProcessingResources",
       {{"ClusterConfig",
         {{"InstanceCount", spec.instance_count},
          {"InstanceType", spec.instance_type},
          {"VolumeSizeInGB", spec.volume_gb}}}}},
      {"StoppingCondition", {{"MaxRuntimeInSeconds", spec.max_runtime_seconds}}},
      {"Environment", environment},
      {"Tags", {{{"Key", "project"}, {"Value", "airline-analytics"}}}},
  };
}

nlohmann::json create_processing_job(const AwsContext& context, const nlohmann::json& request) {
  const auto answer = nlohmann::json::parse(
      json_call(context, "sagemaker", "SageMaker.CreateProcessingJob", request.dump()), nullptr,
      false);
  if (!answer.is_object() || !answer.contains("ProcessingJobArn")) {
    core::fail(core::ErrorKind::Io,
               "SageMaker CreateProcessingJob: no ProcessingJobArn in the answer");
  }
  return answer;
}

}  // namespace aa::aws
