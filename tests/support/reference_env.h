#pragma once
// The reference project's documented .env, verbatim from its README (issue 29).

#include <string>

namespace aa::test {

inline const std::string kReferenceEnv =
    "AWS_REGION=us-east-1\n"
    "AWS_DEFAULT_REGION=us-east-1\n"
    "S3_BUCKET=your-bucket-name\n"
    "RAW_PREFIX=raw\n"
    "PROCESSED_PREFIX=processed\n"
    "CURATED_PREFIX=curated\n"
    "ATHENA_RESULTS_PREFIX=athena_results\n"
    "GLUE_DB=airline_analytics\n"
    "ROLE_ARN=arn:aws:iam::ACCOUNT:role/your-sagemaker-role\n"
    "PROCESSING_INSTANCE_TYPE=ml.t3.medium\n"
    "BEDROCK_MODEL_ID=anthropic.claude-3-sonnet-20240229-v1:0\n";

}  // namespace aa::test
