#include "core/config.h"

#include <gtest/gtest.h>

#include "core/aws_variables.h"
#include "support/reference_env.h"
#include "support/test_support.h"

namespace aa {
namespace {

using test::TempDir;

TEST(Config, DefaultsWhenNothingIsSet) {
  TempDir dir;
  const fs::path cwd = fs::current_path();
  fs::current_path(dir.path());  // no ./.env here
  const core::Config c = core::load_config({}, std::nullopt);
  fs::current_path(cwd);
  EXPECT_EQ(c.lake, "lake");
  EXPECT_EQ(c.raw_dir, "data/raw");
  EXPECT_EQ(c.threads, 0);
  EXPECT_EQ(c.memory_limit, "");
  EXPECT_EQ(c.progress, core::ProgressMode::Auto);
}

TEST(Config, EnvironmentOverridesDotenvFile) {
  TempDir dir;
  test::write_text(dir / ".env",
                   "# comment\nexport AIRLINE_LAKE=/from/file\nAIRLINE_RAW_DIR=\"/raw/file\"\n");
  const core::Config c =
      core::load_config({{"AIRLINE_LAKE", "/from/env"}, {"HOME", "/root"}}, dir / ".env");
  EXPECT_EQ(c.lake, "/from/env");
  EXPECT_EQ(c.raw_dir, "/raw/file");
}

const std::string kKnown =
    "AIRLINE_LAKE, AIRLINE_RAW_DIR, AIRLINE_THREADS, AIRLINE_MEMORY_LIMIT, AIRLINE_PROGRESS, "
    "AIRLINE_LLM_PROVIDER, AIRLINE_LLM_MODEL, AIRLINE_LLM_BASE_URL, AIRLINE_LLM_API_KEY, "
    "AIRLINE_LLM_TIMEOUT_S, AIRLINE_LLM_MAX_TOKENS, BEDROCK_MODEL_ID, AWS_REGION, S3_BUCKET, "
    "RAW_PREFIX, PROCESSED_PREFIX, CURATED_PREFIX, ATHENA_RESULTS_PREFIX, GLUE_DB, "
    "AIRLINE_ATHENA_WORKGROUP, ROLE_ARN, PROCESSING_INSTANCE_TYPE, AWS_ENDPOINT_URL, "
    "AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_ATHENA, AWS_ENDPOINT_URL_SAGEMAKER, AIRLINE_LAKE_CACHE, "
    "AIRLINE_SHOW_PII, AIRLINE_AUTH_TOKEN, AIRLINE_RATE_LIMIT";

TEST(Config, UnknownKeyInDotenvNamesFileLineAndKnownKeys) {
  EXPECT_APP_ERROR(core::parse_dotenv("AIRLINE_LAKE=x\n\nAIRLINE_LAEK=y\n", "my.env"),
                   core::ErrorKind::InvalidInput,
                   "my.env:3: unknown setting 'AIRLINE_LAEK'; known settings: " + kKnown);
}

TEST(Config, UnknownAirlineVariableInEnvironmentIsAnError) {
  EXPECT_APP_ERROR(core::load_config({{"AIRLINE_TREADS", "2"}}, std::nullopt),
                   core::ErrorKind::InvalidInput,
                   "environment: unknown setting 'AIRLINE_TREADS'; known settings: " + kKnown);
}

// The reference project's documented .env (support/reference_env.h, issue 29).
using test::kReferenceEnv;

TEST(Config, TheReferenceProjectsEnvFileIsAcceptedAsIs) {
  TempDir dir;
  test::write_text(dir / ".env", kReferenceEnv);
  const core::DotenvFile parsed = core::parse_dotenv(kReferenceEnv, ".env");
  EXPECT_EQ(parsed.values.size(), 11U);
  EXPECT_TRUE(parsed.warnings.empty());
  const core::Config c = core::load_config({{"HOME", "/root"}}, dir / ".env");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.llm.aws_region, "us-east-1");
  EXPECT_EQ(c.aws, (core::Environment{{"AWS_DEFAULT_REGION", "us-east-1"}}));
  EXPECT_EQ(c.cloud.s3_bucket, "your-bucket-name");
  EXPECT_EQ(c.cloud.raw_prefix, "raw/");
  EXPECT_EQ(c.cloud.processed_prefix, "processed/");
  EXPECT_EQ(c.cloud.curated_prefix, "curated/");
  EXPECT_EQ(c.cloud.athena_results_prefix, "athena_results/");
  EXPECT_EQ(c.cloud.glue_db, "airline_analytics");
  EXPECT_EQ(c.cloud.role_arn, "arn:aws:iam::ACCOUNT:role/your-sagemaker-role");
  EXPECT_EQ(c.cloud.processing_instance_type, "ml.t3.medium");
  EXPECT_EQ(c.llm.model, "anthropic.claude-3-sonnet-20240229-v1:0");
  EXPECT_EQ(c.llm.provider, "none");  // the model id alone does not turn the LLM on
  EXPECT_EQ(c.lake, "lake");
}

TEST(Config, KeysNeitherOursNorAwsAreIgnoredWithOneWarningLineEach) {
  const core::DotenvFile parsed = core::parse_dotenv(
      "AIRLINE_LAKE=x\nSTREAMLIT_SERVER_PORT=8501\n# AWS_PROFILE=x\nAWS_SECRET_ACESS_KEY=typo\n",
      ".env");
  EXPECT_EQ(parsed.values, (core::Environment{{"AIRLINE_LAKE", "x"}}));
  EXPECT_EQ(parsed.warnings, (std::vector<std::string>{
                                 ".env:2: ignoring 'STREAMLIT_SERVER_PORT': neither a setting of "
                                 "airline-analytics nor a standard AWS variable",
                                 ".env:4: ignoring 'AWS_SECRET_ACESS_KEY': neither a setting of "
                                 "airline-analytics nor a standard AWS variable"}));
  // The process environment holds many variables of other programs: never a warning.
  EXPECT_TRUE(core::load_config({{"PATH", "/bin"}, {"STREAMLIT_SERVER_PORT", "1"}}, std::nullopt)
                  .warnings.empty());
}

TEST(Config, StandardAwsVariablesComeFromDotenvAndTheEnvironmentWins) {
  TempDir dir;
  test::write_text(dir / "aws.env",
                   "AWS_ACCESS_KEY_ID=AKIDFILE\nAWS_SECRET_ACCESS_KEY=file-secret\n"
                   "AWS_PROFILE=analytics\nAWS_DEFAULT_REGION=eu-west-2\n"
                   "AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:9/\n");
  const core::Config c =
      core::load_config({{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_PAGER", ""}}, dir / "aws.env");
  EXPECT_EQ(c.aws, (core::Environment{{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                      {"AWS_DEFAULT_REGION", "eu-west-2"},
                                      {"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:9/"},
                                      {"AWS_PAGER", ""},
                                      {"AWS_PROFILE", "analytics"},
                                      {"AWS_SECRET_ACCESS_KEY", "file-secret"}}));
  // No AWS_REGION anywhere: AWS_DEFAULT_REGION is the region.
  EXPECT_EQ(c.llm.aws_region, "eu-west-2");
  // AWS_REGION wins over AWS_DEFAULT_REGION whichever source holds each.
  EXPECT_EQ(core::load_config({{"AWS_DEFAULT_REGION", "ca-central-1"}, {"AWS_REGION", "us-west-2"}},
                              std::nullopt)
                .llm.aws_region,
            "us-west-2");
  test::write_text(dir / "region.env", "AWS_REGION=eu-north-1\n");
  EXPECT_EQ(core::load_config({{"AWS_DEFAULT_REGION", "ca-central-1"}}, dir / "region.env")
                .llm.aws_region,
            "eu-north-1");
  // What the AWS calls read: the process environment with these over it.
  const core::Environment env = core::aws_environment(c);
  EXPECT_EQ(env.at("AWS_SECRET_ACCESS_KEY"), "file-secret");
  EXPECT_EQ(env.at("AWS_PROFILE"), "analytics");
}

TEST(Config, EveryStandardAwsVariableIsAccepted) {
  std::string text;
  for (const auto& v : core::aws_variables()) {
    text += std::string(v.key) + "=x\n";
  }
  text += "AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000\n";
  const core::DotenvFile parsed = core::parse_dotenv(text, ".env");
  EXPECT_EQ(parsed.values.size(), core::aws_variables().size() + 1);
  EXPECT_TRUE(parsed.warnings.empty());
  EXPECT_FALSE(core::is_aws_variable("AWS_ENDPOINT_URL_"));
  EXPECT_FALSE(core::is_aws_variable("AWS_SECRET_KEY"));
}

TEST(Config, LineWithoutEqualsIsAnError) {
  EXPECT_APP_ERROR(core::parse_dotenv("AIRLINE_LAKE\n", ".env"), core::ErrorKind::InvalidInput,
                   ".env:1: expected KEY=VALUE, got 'AIRLINE_LAKE'");
}

TEST(Config, ValuesThatDoNotParseAreErrors) {
  core::Config c;
  EXPECT_APP_ERROR(core::apply_setting(c, "AIRLINE_THREADS", "two", "environment"),
                   core::ErrorKind::InvalidInput,
                   "environment: AIRLINE_THREADS='two' is not valid: expected a whole number "
                   "from 1 to 1024");
  EXPECT_APP_ERROR(core::apply_setting(c, "AIRLINE_THREADS", "0", "--threads"),
                   core::ErrorKind::InvalidInput,
                   "--threads: AIRLINE_THREADS='0' is not valid: expected a whole number from "
                   "1 to 1024");
  EXPECT_APP_ERROR(core::apply_setting(c, "AIRLINE_MEMORY_LIMIT", "lots", ".env"),
                   core::ErrorKind::InvalidInput,
                   ".env: AIRLINE_MEMORY_LIMIT='lots' is not valid: expected a size such as "
                   "512MB or 4GB");
  EXPECT_APP_ERROR(core::apply_setting(c, "AIRLINE_PROGRESS", "sometimes", ".env"),
                   core::ErrorKind::InvalidInput,
                   ".env: AIRLINE_PROGRESS='sometimes' is not valid: expected auto, always or "
                   "never");
  EXPECT_APP_ERROR(core::apply_setting(c, "AIRLINE_LAKE", "", ".env"),
                   core::ErrorKind::InvalidInput,
                   ".env: AIRLINE_LAKE='' is not valid: expected a folder path");
}

TEST(Config, ValidValuesApply) {
  core::Config c;
  core::apply_setting(c, "AIRLINE_THREADS", "3", "t");
  core::apply_setting(c, "AIRLINE_MEMORY_LIMIT", "1.5GB", "t");
  core::apply_setting(c, "AIRLINE_PROGRESS", "never", "t");
  EXPECT_EQ(c.threads, 3);
  EXPECT_EQ(c.memory_limit, "1.5GB");
  EXPECT_EQ(c.progress, core::ProgressMode::Never);
}

TEST(Config, MissingExplicitEnvFileIsNotFound) {
  EXPECT_APP_ERROR(core::load_config({}, fs::path("/nonexistent/x.env")), core::ErrorKind::NotFound,
                   "settings file '/nonexistent/x.env' does not exist");
}

TEST(Config, LlmSettingsAreReadAndChecked) {
  const core::Config c =
      core::load_config({{"AIRLINE_LLM_PROVIDER", "bedrock"},
                         {"BEDROCK_MODEL_ID", "anthropic.claude-3-haiku-20240307-v1:0"},
                         {"AWS_REGION", "eu-west-1"},
                         {"AIRLINE_LLM_TIMEOUT_S", "5"},
                         {"HOME", "/root"}},
                        std::nullopt);
  EXPECT_EQ(c.llm.provider, "bedrock");
  EXPECT_EQ(c.llm.model, "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(c.llm.aws_region, "eu-west-1");
  EXPECT_EQ(c.llm.timeout_s, 5);
  EXPECT_EQ(c.llm.max_tokens, 1024);
  // AIRLINE_LLM_MODEL wins over the reference's key.
  EXPECT_EQ(core::load_config({{"AIRLINE_LLM_MODEL", "a"}, {"BEDROCK_MODEL_ID", "b"}}, std::nullopt)
                .llm.model,
            "a");
  EXPECT_APP_ERROR(core::load_config({{"AIRLINE_LLM_PROVIDER", "gpt"}}, std::nullopt),
                   core::ErrorKind::InvalidInput,
                   "environment: AIRLINE_LLM_PROVIDER='gpt' is not valid: expected none, bedrock, "
                   "openai or anthropic");
  EXPECT_APP_ERROR(core::load_config({{"AIRLINE_LLM_TIMEOUT_S", "0"}}, std::nullopt),
                   core::ErrorKind::InvalidInput,
                   "environment: AIRLINE_LLM_TIMEOUT_S='0' is not valid: expected a whole number "
                   "from 1 to 120");
  EXPECT_APP_ERROR(core::load_config({{"AIRLINE_LLM_BASE_URL", "ftp://x"}}, std::nullopt),
                   core::ErrorKind::InvalidInput,
                   "environment: AIRLINE_LLM_BASE_URL='ftp://x' is not valid: expected a URL "
                   "starting with http:// or https://");
}

TEST(Config, ServerSettingsAreReadAndChecked) {
  const core::Config defaults = core::load_config({}, std::nullopt);
  EXPECT_FALSE(defaults.server.show_pii);
  EXPECT_EQ(defaults.server.auth_token, "");
  EXPECT_EQ(defaults.server.rate_limit_per_minute, 1200);
  const core::Config c = core::load_config({{"AIRLINE_SHOW_PII", "true"},
                                            {"AIRLINE_AUTH_TOKEN", "0123456789abcdef0123"},
                                            {"AIRLINE_RATE_LIMIT", "60"}},
                                           std::nullopt);
  EXPECT_TRUE(c.server.show_pii);
  EXPECT_EQ(c.server.auth_token, "0123456789abcdef0123");
  EXPECT_EQ(c.server.rate_limit_per_minute, 60);
  EXPECT_APP_ERROR(core::load_config({{"AIRLINE_SHOW_PII", "yes"}}, std::nullopt),
                   core::ErrorKind::InvalidInput,
                   "environment: AIRLINE_SHOW_PII='yes' is not valid: expected true or false");
  // A short token is refused, and the error does not repeat it.
  EXPECT_APP_ERROR(core::load_config({{"AIRLINE_AUTH_TOKEN", "secret"}}, std::nullopt),
                   core::ErrorKind::InvalidInput,
                   "environment: AIRLINE_AUTH_TOKEN='(hidden)' is not valid: expected at least "
                   "16 characters");
  EXPECT_APP_ERROR(core::load_config({{"AIRLINE_RATE_LIMIT", "5"}}, std::nullopt),
                   core::ErrorKind::InvalidInput,
                   "environment: AIRLINE_RATE_LIMIT='5' is not valid: expected a whole number "
                   "from 10 to 100000");
}

}  // namespace
}  // namespace aa
