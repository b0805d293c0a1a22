// Credentials and region for the AWS calls from the standard AWS variables, wherever they were
// set: a .env, the environment, AWS's shared files by profile (issue 29).

#include <gtest/gtest.h>

#include "cloud/aws.h"
#include "cloud/aws_profile.h"
#include "support/test_support.h"

namespace aa::test {
namespace {

const std::string kNoCredentials =
    "athena-ddl --execute needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
    "(and AWS_SESSION_TOKEN for temporary ones) in the environment or .env, name a profile of "
    "~/.aws/credentials with AWS_PROFILE, or run where the container credentials endpoint is set "
    "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)";

// A HOME with AWS's two shared files.
struct AwsHome {
  TempDir dir;
  AwsHome() {
    fs::create_directories(dir / ".aws");
    write_text(dir / ".aws" / "credentials",
               "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s-default\n"
               "\n# the analysts' profile\n[analytics]\naws_access_key_id=AKIDANALYTICS\n"
               "aws_secret_access_key=s-analytics\naws_session_token = t-analytics\n");
    write_text(dir / ".aws" / "config",
               "[default]\nregion = ca-central-1\n\n[profile analytics]\nregion = eu-west-2\n"
               "output = json\n\n[profile from-config]\naws_access_key_id = AKIDCONFIG\n"
               "aws_secret_access_key = s-config\n");
  }
  core::Environment env(core::Environment extra = {}) const {
    extra.emplace("HOME", dir.path().string());
    return extra;
  }
};

TEST(AwsConfig, KeysFromADotenvReachTheAwsCalls) {
  TempDir dir;
  write_text(dir / ".env",
             "AWS_ACCESS_KEY_ID=AKIDDOTENV\nAWS_SECRET_ACCESS_KEY=s-dotenv\nAWS_SESSION_TOKEN=tok\n"
             "AWS_DEFAULT_REGION=eu-north-1\nAWS_MAX_ATTEMPTS=5\n");
  const core::Config config = core::load_config({}, dir / ".env");
  const auto context = aws::aws_context(config, config.aws, "athena-ddl --execute");
  EXPECT_EQ(context.credentials.access_key_id, "AKIDDOTENV");
  EXPECT_EQ(context.credentials.secret_access_key, "s-dotenv");
  EXPECT_EQ(context.credentials.session_token, "tok");
  EXPECT_EQ(context.region, "eu-north-1");
  EXPECT_EQ(context.max_attempts, 5);
}

TEST(AwsConfig, AProfileOfTheSharedFilesGivesCredentialsAndRegion) {
  const AwsHome home;
  core::Config config;
  auto context = aws::aws_context(config, home.env({{"AWS_PROFILE", "analytics"}}), "x");
  EXPECT_EQ(context.credentials.access_key_id, "AKIDANALYTICS");
  EXPECT_EQ(context.credentials.session_token, "t-analytics");
  EXPECT_EQ(context.region, "eu-west-2");
  // No profile named: "default"; its region from [default] of the config file.
  context = aws::aws_context(config, home.env(), "x");
  EXPECT_EQ(context.credentials.access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(context.region, "ca-central-1");
  // Keys in the environment win over the profile's; AWS_REGION (the configuration's) over its
  // region.
  config.llm.aws_region = "us-west-2";
  context = aws::aws_context(
      config, home.env({{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s-env"}}),
      "x");
  EXPECT_EQ(context.credentials.access_key_id, "AKIDENV");
  EXPECT_EQ(context.region, "us-west-2");
  // The older AWS_DEFAULT_PROFILE, and keys kept in the config file.
  const auto profile = aws::read_aws_profile(home.env({{"AWS_DEFAULT_PROFILE", "from-config"}}));
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->credentials.access_key_id, "AKIDCONFIG");
  EXPECT_EQ(profile->region, "");
}

TEST(AwsConfig, TheSharedFilesCanBeNamed) {
  const AwsHome home;
  TempDir other;
  write_text(other / "creds", "[ci]\naws_access_key_id=AKIDCI\naws_secret_access_key=s-ci\n");
  const auto context =
      aws::aws_context(core::Config{},
                       {{"AWS_SHARED_CREDENTIALS_FILE", (other / "creds").string()},
                        {"AWS_CONFIG_FILE", (other / "none").string()},
                        {"AWS_PROFILE", "ci"}},
                       "x");
  EXPECT_EQ(context.credentials.access_key_id, "AKIDCI");
  EXPECT_EQ(context.region, "us-east-1");
}

TEST(AwsConfig, MissingCredentialsAndUnknownProfilesAreErrors) {
  EXPECT_APP_ERROR(aws::aws_context(core::Config{}, {}, "athena-ddl --execute"),
                   core::ErrorKind::InvalidInput, kNoCredentials);
  const AwsHome home;
  const std::string files = (home.dir / ".aws" / "credentials").string() + "' nor '" +
                            (home.dir / ".aws" / "config").string();
  EXPECT_APP_ERROR(aws::aws_context(core::Config{}, home.env({{"AWS_PROFILE", "prod"}}), "x"),
                   core::ErrorKind::InvalidInput,
                   "AWS profile 'prod' is in neither '" + files +
                       "'; profiles there: analytics, default, from-config");
  core::Config config;
  EXPECT_APP_ERROR(aws::aws_context(config, home.env({{"AWS_MAX_ATTEMPTS", "many"}}), "x"),
                   core::ErrorKind::InvalidInput,
                   "AWS_MAX_ATTEMPTS='many' is not valid: expected a whole number from 1 to 10");
  EXPECT_APP_ERROR(aws::aws_context(config, home.env({{"AWS_CA_BUNDLE", "/nonexistent.pem"}}), "x"),
                   core::ErrorKind::NotFound, "AWS_CA_BUNDLE '/nonexistent.pem' does not exist");
}

}  // namespace
}  // namespace aa::test
