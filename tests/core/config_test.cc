#include "core/config.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace aa {
namespace {

using test::TempDir;

TEST(Config, DefaultsWhenNothingIsSet) {
  TempDir dir;
  const fs::path cwd = fs::current_path();
  fs::current_path(dir.path());  // no ./.env here
  const Config c = load_config({}, std::nullopt);
  fs::current_path(cwd);
  EXPECT_EQ(c.lake, "lake");
  EXPECT_EQ(c.raw_dir, "data/raw");
  EXPECT_EQ(c.threads, 0);
  EXPECT_EQ(c.memory_limit, "");
  EXPECT_EQ(c.progress, ProgressMode::Auto);
}

TEST(Config, EnvironmentOverridesDotenvFile) {
  TempDir dir;
  test::write_text(dir / ".env",
                   "# comment\nexport AIRLINE_LAKE=/from/file\nAIRLINE_RAW_DIR=\"/raw/file\"\n");
  const Config c = load_config({{"AIRLINE_LAKE", "/from/env"}, {"HOME", "/root"}}, dir / ".env");
  EXPECT_EQ(c.lake, "/from/env");
  EXPECT_EQ(c.raw_dir, "/raw/file");
}

TEST(Config, UnknownKeyInDotenvNamesFileLineAndKnownKeys) {
  EXPECT_APP_ERROR(parse_dotenv("AIRLINE_LAKE=x\n\nAIRLINE_LAEK=y\n", "my.env"),
                   ErrorKind::InvalidInput,
                   "my.env:3: unknown setting 'AIRLINE_LAEK'; known settings: AIRLINE_LAKE, "
                   "AIRLINE_RAW_DIR, AIRLINE_THREADS, AIRLINE_MEMORY_LIMIT, AIRLINE_PROGRESS");
}

TEST(Config, UnknownAirlineVariableInEnvironmentIsAnError) {
  EXPECT_APP_ERROR(load_config({{"AIRLINE_TREADS", "2"}}, std::nullopt), ErrorKind::InvalidInput,
                   "environment: unknown setting 'AIRLINE_TREADS'; known settings: "
                   "AIRLINE_LAKE, AIRLINE_RAW_DIR, AIRLINE_THREADS, AIRLINE_MEMORY_LIMIT, "
                   "AIRLINE_PROGRESS");
}

TEST(Config, LineWithoutEqualsIsAnError) {
  EXPECT_APP_ERROR(parse_dotenv("AIRLINE_LAKE\n", ".env"), ErrorKind::InvalidInput,
                   ".env:1: expected KEY=VALUE, got 'AIRLINE_LAKE'");
}

TEST(Config, ValuesThatDoNotParseAreErrors) {
  Config c;
  EXPECT_APP_ERROR(apply_setting(c, "AIRLINE_THREADS", "two", "environment"),
                   ErrorKind::InvalidInput,
                   "environment: AIRLINE_THREADS='two' is not valid: expected a whole number "
                   "from 1 to 1024");
  EXPECT_APP_ERROR(apply_setting(c, "AIRLINE_THREADS", "0", "--threads"),
                   ErrorKind::InvalidInput,
                   "--threads: AIRLINE_THREADS='0' is not valid: expected a whole number from "
                   "1 to 1024");
  EXPECT_APP_ERROR(apply_setting(c, "AIRLINE_MEMORY_LIMIT", "lots", ".env"),
                   ErrorKind::InvalidInput,
                   ".env: AIRLINE_MEMORY_LIMIT='lots' is not valid: expected a size such as "
                   "512MB or 4GB");
  EXPECT_APP_ERROR(apply_setting(c, "AIRLINE_PROGRESS", "sometimes", ".env"),
                   ErrorKind::InvalidInput,
                   ".env: AIRLINE_PROGRESS='sometimes' is not valid: expected auto, always or "
                   "never");
  EXPECT_APP_ERROR(apply_setting(c, "AIRLINE_LAKE", "", ".env"), ErrorKind::InvalidInput,
                   ".env: AIRLINE_LAKE='' is not valid: expected a folder path");
}

TEST(Config, ValidValuesApply) {
  Config c;
  apply_setting(c, "AIRLINE_THREADS", "3", "t");
  apply_setting(c, "AIRLINE_MEMORY_LIMIT", "1.5GB", "t");
  apply_setting(c, "AIRLINE_PROGRESS", "never", "t");
  EXPECT_EQ(c.threads, 3);
  EXPECT_EQ(c.memory_limit, "1.5GB");
  EXPECT_EQ(c.progress, ProgressMode::Never);
}

TEST(Config, MissingExplicitEnvFileIsNotFound) {
  EXPECT_APP_ERROR(load_config({}, fs::path("/nonexistent/x.env")), ErrorKind::NotFound,
                   "settings file '/nonexistent/x.env' does not exist");
}

}  // namespace
}  // namespace aa
