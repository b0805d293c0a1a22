// The reference project's .env in the working folder, through the binary (issue 29): every
// command used to exit 2 on its second line; now every line is accepted and used, a key that
// is neither ours nor AWS's is one warning line, and an unknown AIRLINE_* key is still an error.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/reference_env.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

// `sagemaker-job --dry-run` reads the configuration and prints the request without calling AWS.
ProcessResult dry_run(const TempDir& dir) {
  return run_cli({"sagemaker-job", "--dry-run", "--image", "example.com/aa:1", "--role-arn",
                  "arn:aws:iam::123456789012:role/analytics", "--job-name", "reference-env"},
                 {}, dir.path());
}

TEST(ReferenceEnv, EveryLineIsAcceptedAndUsed) {
  TempDir dir;
  write_text(dir / ".env", kReferenceEnv);
  const ProcessResult r = dry_run(dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no error, no warning
  const auto request = nlohmann::json::parse(r.out);
  EXPECT_EQ(request["ProcessingResources"]["ClusterConfig"]["InstanceType"], "ml.t3.medium");
  const auto& env = request["Environment"];
  EXPECT_EQ(env["AIRLINE_LAKE"], "s3://your-bucket-name/");
  EXPECT_EQ(env["AWS_REGION"], "us-east-1");
  EXPECT_EQ(env["RAW_PREFIX"], "raw/");
  EXPECT_EQ(env["PROCESSED_PREFIX"], "processed/");
  EXPECT_EQ(env["CURATED_PREFIX"], "curated/");
  // ROLE_ARN is read: without --role-arn, its placeholder is what the job would run as.
  const ProcessResult placeholder =
      run_cli({"sagemaker-job", "--dry-run", "--image", "example.com/aa:1"}, {}, dir.path());
  EXPECT_EQ(placeholder.exit_code, 2);
  EXPECT_EQ(placeholder.err,
            "error: --role-arn (or ROLE_ARN) 'arn:aws:iam::ACCOUNT:role/your-sagemaker-role' is "
            "not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)\n");
}

TEST(ReferenceEnv, AwsDefaultRegionAloneSetsTheRegion) {
  TempDir dir;
  write_text(dir / ".env", "AWS_DEFAULT_REGION=eu-west-2\nS3_BUCKET=loyalty-data\n");
  const ProcessResult r = dry_run(dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["Environment"]["AWS_REGION"], "eu-west-2");
}

TEST(ReferenceEnv, AnotherProgramsKeyIsOneWarningLine) {
  TempDir dir;
  write_text(dir / ".env", kReferenceEnv + "STREAMLIT_SERVER_PORT=8501\n");
  const ProcessResult r = dry_run(dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err,
            "warning: .env:12: ignoring 'STREAMLIT_SERVER_PORT': neither a setting of "
            "airline-analytics nor a standard AWS variable\n");
}

TEST(ReferenceEnv, AnUnknownAirlineKeyIsStillAnError) {
  TempDir dir;
  write_text(dir / ".env", kReferenceEnv + "AIRLINE_LAEK=x\n");
  const ProcessResult r = dry_run(dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("error: .env:12: unknown setting 'AIRLINE_LAEK'; known settings: "
                        "AIRLINE_LAKE, ",
                        0),
            0U)
      << r.err;
}

}  // namespace
}  // namespace aa::test
