// Issue #8: our S3 client, the S3 lake, Athena and SageMaker. S3 runs against moto's S3 server
// on 127.0.0.1 (an emulator, started and stopped here); Athena and SageMaker against moto's
// implementations of their JSON APIs, and against small local servers answering with the
// documented response shapes where a failure must be produced. SigV4 for S3 is checked against
// AWS's documented examples.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "cloud/athena.h"
#include "cloud/s3.h"
#include "cloud/s3_lake.h"
#include "cloud/sagemaker.h"
#include "cloud/sigv4.h"
#include "core/files.h"
#include "support/test_support.h"

namespace aa {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

test::MotoServer& moto() {
  static test::MotoServer server;
  return server;
}

aws::AwsContext moto_context() {
  aws::AwsContext context;
  context.credentials = {"testing", "testing", ""};
  context.cloud.endpoint = moto().url();
  return context;
}

std::string bucket_name(const std::string& base) {
  static int n = 0;
  return base + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
}

// --- SigV4 for S3: AWS's documented examples (AWS General Reference, "Signature Calculations
// for the Authorization Header", examplebucket, 20130524T000000Z).
const aws::AwsCredentials kDocs{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                ""};
const char* kEmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(SigV4S3, GetObjectExample) {
  aws::SigV4Request r;
  r.method = "GET";
  r.path = "/test.txt";
  r.headers = {{"host", "examplebucket.s3.amazonaws.com"},
               {"range", "bytes=0-9"},
               {"x-amz-content-sha256", kEmptySha},
               {"x-amz-date", "20130524T000000Z"}};
  r.payload_hash = kEmptySha;
  EXPECT_EQ(aws::sigv4_sign(r, kDocs, "us-east-1", "s3", "20130524T000000Z").signature,
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4S3, PutObjectExampleWithAnEncodedKey) {
  aws::SigV4Request r;
  r.method = "PUT";
  r.path = "/test%24file.text";
  r.body = "Welcome to Amazon S3.";
  r.payload_hash = aws::sha256_hex(r.body);
  EXPECT_EQ(r.payload_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  r.headers = {{"host", "examplebucket.s3.amazonaws.com"},
               {"date", "Fri, 24 May 2013 00:00:00 GMT"},
               {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
               {"x-amz-content-sha256", r.payload_hash},
               {"x-amz-date", "20130524T000000Z"}};
  EXPECT_EQ(aws::sigv4_sign(r, kDocs, "us-east-1", "s3", "20130524T000000Z").signature,
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4S3, ListObjectsAndSubresourceExamples) {
  aws::SigV4Request r;
  r.method = "GET";
  r.path = "/";
  r.query = "max-keys=2&prefix=J";
  r.headers = {{"host", "examplebucket.s3.amazonaws.com"},
               {"x-amz-content-sha256", kEmptySha},
               {"x-amz-date", "20130524T000000Z"}};
  r.payload_hash = kEmptySha;
  EXPECT_EQ(aws::sigv4_sign(r, kDocs, "us-east-1", "s3", "20130524T000000Z").signature,
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  r.query = "lifecycle";
  EXPECT_EQ(aws::sigv4_sign(r, kDocs, "us-east-1", "s3", "20130524T000000Z").signature,
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

// --- The lake's key layout.
TEST(S3LakeLayout, ZonesMapToThePrefixesAndBack) {
  core::CloudConfig cloud;
  cloud.raw_prefix = "landing/";
  cloud.processed_prefix = "lake/processed/";
  const auto layout = aws::s3_lake_layout("s3://loyalty-data/team", cloud);
  EXPECT_EQ(layout.bucket, "loyalty-data");
  EXPECT_EQ(layout.root, "team/");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"raw/customer_loyalty_history.csv", "team/landing/customer_loyalty_history.csv"},
      {"processed/customer_flight_activity.parquet",
       "team/lake/processed/customer_flight_activity/customer_flight_activity.parquet"},
      {"curated/churn/predictions/predictions.parquet",
       "team/curated/churn/predictions/predictions.parquet"},
      {"_state/train.json", "team/_state/train.json"},
      {"warehouse.duckdb", "team/warehouse.duckdb"},
      {"quarantine/rejected_rows.parquet", "team/quarantine/rejected_rows.parquet"},
  };
  for (const auto& [relative, key] : cases) {
    EXPECT_EQ(layout.key_for(relative), key);
    EXPECT_EQ(layout.relative_for(key), relative) << key;
  }
  EXPECT_EQ(layout.relative_for("team/athena-results/x.csv"), std::nullopt);
  EXPECT_EQ(layout.relative_for("other/_state/train.json"), std::nullopt);
  EXPECT_EQ(layout.uri_for("curated/"), "s3://loyalty-data/team/curated/");
  core::CloudConfig from_env;
  from_env.s3_bucket = "from-env";
  EXPECT_EQ(aws::s3_lake_layout("s3:///x", from_env).bucket, "from-env");
  EXPECT_APP_ERROR(aws::s3_lake_layout("s3://", core::CloudConfig{}), core::ErrorKind::InvalidInput,
                   "the lake 's3://' names no bucket: use s3://bucket/prefix or set S3_BUCKET");
  EXPECT_APP_ERROR(aws::parse_s3_uri("s3://Bad_Bucket/x"), core::ErrorKind::InvalidInput,
                   "'s3://Bad_Bucket/x': 'Bad_Bucket' is not a valid bucket name (3-63 "
                   "lower-case letters, digits, '.', '-')");
}

TEST(AthenaTypes, DuckDbTypesMapToAthenaTypes) {
  EXPECT_EQ(aws::athena_type("BIGINT"), "bigint");
  EXPECT_EQ(aws::athena_type("INTEGER"), "int");
  EXPECT_EQ(aws::athena_type("VARCHAR"), "string");
  EXPECT_EQ(aws::athena_type("DATE"), "date");
  EXPECT_EQ(aws::athena_type("FLOAT"), "float");
  EXPECT_EQ(aws::athena_type("DECIMAL(18,3)"), "decimal(18,3)");
  EXPECT_APP_ERROR(aws::athena_type("HUGEINT"), core::ErrorKind::InvalidInput,
                   "no Athena type for the Parquet column type HUGEINT");
}

// --- The S3 client against moto.
class S3ClientTest : public ::testing::Test {
 protected:
  void SetUp() override { client_.create_bucket(bucket_); }
  std::string bucket_ = bucket_name("client");
  aws::S3Client client_{moto_context()};
  test::TempDir dir_;
};

TEST_F(S3ClientTest, PutGetHeadListAndMissingKeys) {
  client_.put(bucket_, "a/one.txt", "first", {{"sha256", "abc"}});
  client_.put(bucket_, "a/two words+plus.txt", "second");
  EXPECT_EQ(client_.get(bucket_, "a/one.txt"), "first");
  EXPECT_EQ(client_.get(bucket_, "a/two words+plus.txt"), "second");
  const auto head = client_.head(bucket_, "a/one.txt");
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->size, 5U);
  EXPECT_EQ(head->metadata.at("sha256"), "abc");
  EXPECT_EQ(head->etag, "8b04d5e3775d298e78455efc5ca404d5");  // MD5 of "first"
  EXPECT_FALSE(client_.head(bucket_, "a/none.txt").has_value());
  try {
    client_.get(bucket_, "a/none.txt");
    ADD_FAILURE() << "expected NotFound";
  } catch (const core::AppError& e) {
    EXPECT_EQ(e.kind(), core::ErrorKind::NotFound);
    EXPECT_NE(std::string(e.what()).find("NoSuchKey"), std::string::npos) << e.what();
  }
  // Five objects over pages of two: every key once, in order.
  for (int i = 0; i < 5; ++i) {
    client_.put(bucket_, "p/" + std::to_string(i), std::string(static_cast<std::size_t>(i), 'x'));
  }
  const auto listed = client_.list(bucket_, "p/", 2);
  ASSERT_EQ(listed.size(), 5U);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(listed[static_cast<std::size_t>(i)].key, "p/" + std::to_string(i));
    EXPECT_EQ(listed[static_cast<std::size_t>(i)].size, static_cast<std::uint64_t>(i));
  }
  EXPECT_EQ(client_.list(bucket_, "nothing/").size(), 0U);
}

TEST_F(S3ClientTest, LargeFilesGoUpInPartsAndComeBackIdentical) {
  const fs::path file = dir_ / "big.bin";
  {
    std::mt19937_64 random(7);
    std::ofstream out(file, std::ios::binary);
    for (int i = 0; i < (12 << 20) / 8 + 3; ++i) {
      const std::uint64_t v = random();
      out.write(reinterpret_cast<const char*>(&v), sizeof v);
    }
  }
  client_.set_multipart_part_size(5ULL << 20);
  const auto put = client_.put_file(bucket_, "big/big.bin", file, {{"sha256", "x"}});
  EXPECT_TRUE(put.uploaded);
  EXPECT_EQ(put.parts, 3);
  EXPECT_EQ(put.bytes, fs::file_size(file));
  const fs::path back = dir_ / "back" / "big.bin";
  EXPECT_EQ(client_.get_to_file(bucket_, "big/big.bin", back), fs::file_size(file));
  EXPECT_EQ(core::sha256_file(back).sha256, core::sha256_file(file).sha256);
  const auto head = client_.head(bucket_, "big/big.bin");
  ASSERT_TRUE(head.has_value());
  EXPECT_NE(head->etag.find("-3"), std::string::npos) << head->etag;  // a multipart ETag
  EXPECT_EQ(head->metadata.at("sha256"), "x");
  EXPECT_APP_ERROR(client_.set_multipart_part_size(1 << 20), core::ErrorKind::InvalidInput,
                   "S3 multipart parts must be at least 5 MiB, not 1048576 bytes");
}

TEST_F(S3ClientTest, UploadsAreJudgedByContentNotByExistence) {
  const fs::path file = dir_ / "f.txt";
  test::write_text(file, "version one");
  EXPECT_TRUE(client_.put_file_if_changed(bucket_, "k/f.txt", file).uploaded);
  EXPECT_FALSE(client_.put_file_if_changed(bucket_, "k/f.txt", file).uploaded);
  // Same size, other content: uploaded again.
  test::write_text(file, "version two");
  EXPECT_TRUE(client_.put_file_if_changed(bucket_, "k/f.txt", file).uploaded);
  EXPECT_EQ(client_.get(bucket_, "k/f.txt"), "version two");
  // An object put by someone else (no recorded hash), even with the same bytes: replaced once.
  client_.put(bucket_, "k/f.txt", "version two");
  EXPECT_TRUE(client_.put_file_if_changed(bucket_, "k/f.txt", file).uploaded);
  EXPECT_FALSE(client_.put_file_if_changed(bucket_, "k/f.txt", file).uploaded);
  EXPECT_EQ(client_.head(bucket_, "k/f.txt")->metadata.at("sha256"),
            core::sha256_file(file).sha256);
}

// --- The pipeline with its lake in a bucket, against the same pipeline on a local lake.
class S3Lake : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    ASSERT_EQ(test::run_cli({"generate-sample", "--out", (*dir_ / "raw").string(), "--members",
                             "600", "--seed", "9"})
                  .exit_code,
              0);
    aws::S3Client(moto_context()).create_bucket("aa-lake");
    local_ = new test::ProcessResult(
        test::run_cli({"run", "--raw-dir", (*dir_ / "raw").string(), "--lake",
                       (*dir_ / "local").string(), "--bootstrap", "20", "--json"}));
    s3_ = new test::ProcessResult(
        test::run_cli({"run", "--raw-dir", (*dir_ / "raw").string(), "--lake",
                       "s3://aa-lake/team/lake", "--bootstrap", "20", "--json"},
                      env("cache1")));
  }
  static void TearDownTestSuite() {
    delete local_;
    delete s3_;
    delete dir_;
  }
  static std::map<std::string, std::string> env(const std::string& cache) {
    auto e = moto().env();
    e["AIRLINE_LAKE_CACHE"] = (*dir_ / cache).string();
    return e;
  }
  void SetUp() override {
    ASSERT_EQ(local_->exit_code, 0) << local_->err;
    ASSERT_EQ(s3_->exit_code, 0) << s3_->err;
  }
  static test::TempDir* dir_;
  static test::ProcessResult* local_;
  static test::ProcessResult* s3_;
};
test::TempDir* S3Lake::dir_ = nullptr;
test::ProcessResult* S3Lake::local_ = nullptr;
test::ProcessResult* S3Lake::s3_ = nullptr;

// Every output the local run publishes is in the bucket, and the data files (Parquet, the
// model) are byte for byte the local run's.
TEST_F(S3Lake, ARunInABucketMatchesALocalRun) {
  aws::S3Client client(moto_context());
  const auto layout = aws::s3_lake_layout("s3://aa-lake/team/lake", core::CloudConfig{});
  std::set<std::string> keys;
  for (const auto& o : client.list("aa-lake", "team/lake/")) {
    keys.insert(o.key);
  }
  const fs::path local = *dir_ / "local";
  int compared = 0;
  for (auto it = fs::recursive_directory_iterator(local); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string relative = fs::relative(it->path(), local).generic_string();
    if (!it->is_regular_file() || relative.rfind("_work", 0) == 0 || relative == ".lock") {
      continue;
    }
    const std::string key = layout.key_for(relative);
    EXPECT_TRUE(keys.count(key)) << key << " is missing from the bucket";
    const auto ext = it->path().extension();
    if (ext == ".parquet" || ext == ".csv" || it->path().filename() == "model.json") {
      const fs::path back = *dir_ / "back" / relative;
      client.get_to_file("aa-lake", key, back);
      EXPECT_EQ(core::sha256_file(back).sha256, core::sha256_file(it->path()).sha256) << relative;
      ++compared;
    }
  }
  // 4 CSVs (the raw copies and the arrival's), 32 Parquet files (the processed activity's 24
  // months, the kept scoring and the monitor's two tables among them), the model twice (current
  // and kept)
  EXPECT_EQ(compared, 38);
  EXPECT_EQ(keys.size(), 61U);
  EXPECT_TRUE(
      keys.count("team/lake/processed/customer_loyalty_history/customer_loyalty_history.parquet"));
  const auto a = json::parse(local_->out);
  const auto b = json::parse(s3_->out);
  EXPECT_EQ(a["segments"], b["segments"]);
  EXPECT_EQ(a["stages"]["score"]["summary"]["risk_tiers"],
            b["stages"]["score"]["summary"]["risk_tiers"]);
  EXPECT_NE(s3_->err.find("61 uploaded"), std::string::npos) << s3_->err;
}

// A second run from an empty mirror downloads the lake, finds every stage unchanged and uploads
// nothing; a changed input uploads only what changed.
TEST_F(S3Lake, AnotherMachineResumesFromTheBucketAndUploadsOnlyChanges) {
  auto again = test::run_cli({"run", "--raw-dir", (*dir_ / "raw").string(), "--lake",
                              "s3://aa-lake/team/lake", "--bootstrap", "20", "--json"},
                             env("cache2"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("61 objects, 61 downloaded"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("0 uploaded (0 bytes), 61 unchanged"), std::string::npos) << again.err;
  const auto j = json::parse(again.out);
  for (const auto* stage : {"ingest", "features", "train", "score", "monitor", "warehouse"}) {
    EXPECT_TRUE(j["stages"][stage]["skipped"].get<bool>()) << stage;
  }
  // Read-only commands work on the bucket's lake too.
  auto ops = test::run_cli(
      {"ops", "run", "kpis_baseline", "--lake", "s3://aa-lake/team/lake", "--json"}, env("cache3"));
  ASSERT_EQ(ops.exit_code, 0) << ops.err;
  EXPECT_EQ(json::parse(ops.out)["result"]["customers"], 600);
}

TEST_F(S3Lake, TheReferenceKeysPlaceTheZonesAndRawDataCanComeFromTheBucket) {
  aws::S3Client client(moto_context());
  client.create_bucket("aa-ref");
  client.put_file("aa-ref", "incoming/Customer Loyalty History.csv",
                  *dir_ / "raw" / "Customer Loyalty History.csv");
  client.put_file("aa-ref", "incoming/Customer Flight Activity.csv",
                  *dir_ / "raw" / "Customer Flight Activity.csv");
  auto e = env("cache-ref");
  e["S3_BUCKET"] = "aa-ref";
  e["RAW_PREFIX"] = "landing/raw/";
  e["PROCESSED_PREFIX"] = "lake/processed";  // a missing '/' is added
  e["CURATED_PREFIX"] = "lake/curated/";
  auto r = test::run_cli({"ingest", "--lake", "s3://", "--raw-dir", "s3://aa-ref/incoming"}, e);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> keys;
  for (const auto& o : client.list("aa-ref", "")) {
    keys.insert(o.key);
  }
  EXPECT_TRUE(keys.count("landing/raw/customer_loyalty_history.csv"));
  // The processed activity's folder: a file per month and its index.
  EXPECT_TRUE(keys.count("lake/processed/customer_flight_activity/_months.json"));
  EXPECT_TRUE(keys.count("_state/ingest.json"));
  EXPECT_EQ(core::sha256_file(*dir_ / "local" / "processed" / "customer_flight_activity" /
                              "2018-12.parquet")
                .sha256,
            client.head("aa-ref", "lake/processed/customer_flight_activity/2018-12.parquet")
                ->metadata.at("sha256"));
}

TEST_F(S3Lake, MissingCredentialsAndUnknownBucketsAreClearErrors) {
  auto e = env("cache-err");
  e["AWS_ACCESS_KEY_ID"] = "";
  // Nor a profile of AWS's shared files, whatever the machine's ~/.aws holds.
  e["AWS_SHARED_CREDENTIALS_FILE"] = (*dir_ / "no-credentials").string();
  e["AWS_CONFIG_FILE"] = (*dir_ / "no-config").string();
  auto r = test::run_cli({"run", "--lake", "s3://aa-lake/team/lake"}, e);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("an s3:// lake or raw folder needs AWS credentials"), std::string::npos)
      << r.err;
  r = test::run_cli(
      {"run", "--lake", "s3://no-such-bucket-here/x", "--raw-dir", (*dir_ / "raw").string()},
      env("cache-err2"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("NoSuchBucket"), std::string::npos) << r.err;
}

// --- Athena.
TEST_F(S3Lake, AthenaDdlRunsThroughTheApi) {
  auto r = test::run_cli({"athena-ddl", "--lake", "s3://aa-lake/team/lake", "--execute", "--json"},
                         env("cache-athena"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = json::parse(r.out);
  ASSERT_EQ(j["executed"].size(), 16U);
  for (const auto& run : j["executed"]) {
    EXPECT_EQ(run["state"], "SUCCEEDED");
    EXPECT_EQ(run["query_execution_id"].get<std::string>().size(), 36U);
  }
  // The kept scorings, partitioned by month, and churn_predictions a view of the latest.
  EXPECT_EQ(j["executed"][9]["statement"], "prediction_history");
  EXPECT_EQ(j["executed"][10]["statement"], "churn_predictions");  // the alias view
  EXPECT_EQ(j["executed"][12]["statement"], "model_health");
  EXPECT_EQ(j["executed"][14]["statement"], "model_drift");
  EXPECT_EQ(j["executed"][15]["statement"], "customer_scored");
}

// A local server answering with the documented shapes: the query runs, then fails; the error
// names the query and Athena's reason. Also checks what was sent.
TEST(AthenaApi, AFailedQueryStopsWithItsReason) {
  httplib::Server server;
  std::vector<json> requests;
  std::vector<std::string> targets;
  std::atomic<int> polls{0};
  server.Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    targets.push_back(req.get_header_value("X-Amz-Target"));
    requests.push_back(json::parse(req.body));
    EXPECT_EQ(req.get_header_value("Content-Type"), "application/x-amz-json-1.1");
    EXPECT_EQ(req.get_header_value("Authorization").rfind("AWS4-HMAC-SHA256 Credential=AKID/", 0),
              0U);
    if (targets.back() == "AmazonAthena.StartQueryExecution") {
      res.set_content(R"({"QueryExecutionId":"q-1"})", "application/x-amz-json-1.1");
      return;
    }
    const bool done = ++polls >= 2;
    res.set_content(
        done ? R"({"QueryExecution":{"QueryExecutionId":"q-1","Status":{"State":"FAILED",)"
               R"("StateChangeReason":"line 1:8: mismatched input 'TABLEZ'"}}})"
             : R"({"QueryExecution":{"QueryExecutionId":"q-1","Status":{"State":"RUNNING"}}})",
        "application/x-amz-json-1.1");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  aws::AwsContext context;
  context.credentials = {"AKID", "SECRET", ""};
  context.cloud.athena_endpoint = "http://127.0.0.1:" + std::to_string(port);
  EXPECT_APP_ERROR(aws::athena_execute(context, {{"broken", "CREATE TABLEZ x", true}}, "db",
                                       "s3://b/athena-results/", 0.01, 5),
                   core::ErrorKind::Io,
                   "Athena query q-1 (broken) FAILED: line 1:8: mismatched input 'TABLEZ'");
  server.stop();
  thread.join();
  ASSERT_EQ(targets.size(), 3U);
  EXPECT_EQ(requests[0]["QueryString"], "CREATE TABLEZ x");
  EXPECT_EQ(requests[0]["QueryExecutionContext"]["Database"], "db");
  EXPECT_EQ(requests[0]["ResultConfiguration"]["OutputLocation"], "s3://b/athena-results/");
  EXPECT_EQ(requests[0]["WorkGroup"], "primary");
  EXPECT_EQ(requests[1], json({{"QueryExecutionId", "q-1"}}));
}

// --- SageMaker.
TEST(SageMaker, DryRunPrintsTheCreateProcessingJobRequest) {
  auto r = test::run_cli({"sagemaker-job", "--lake", "s3://aa-lake/team/lake", "--image",
                          "123456789012.dkr.ecr.eu-west-1.amazonaws.com/airline-analytics:0.1.0",
                          "--job-name", "churn-weekly", "--dry-run"},
                         {{"ROLE_ARN", "arn:aws:iam::123456789012:role/loyalty-processing"},
                          {"PROCESSING_INSTANCE_TYPE", "ml.m5.2xlarge"},
                          {"AWS_REGION", "eu-west-1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = json::parse(r.out);
  EXPECT_EQ(j["ProcessingJobName"], "churn-weekly");
  EXPECT_EQ(j["RoleArn"], "arn:aws:iam::123456789012:role/loyalty-processing");
  EXPECT_EQ(j["AppSpecification"]["ImageUri"],
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/airline-analytics:0.1.0");
  EXPECT_EQ(j["AppSpecification"]["ContainerArguments"][0],
            "airline-analytics train && airline-analytics score");
  EXPECT_EQ(j["ProcessingResources"]["ClusterConfig"]["InstanceType"], "ml.m5.2xlarge");
  EXPECT_EQ(j["ProcessingResources"]["ClusterConfig"]["InstanceCount"], 1);
  EXPECT_EQ(j["Environment"]["AIRLINE_LAKE"], "s3://aa-lake/team/lake/");
  EXPECT_EQ(j["Environment"]["AWS_REGION"], "eu-west-1");
  EXPECT_EQ(j["StoppingCondition"]["MaxRuntimeInSeconds"], 3600);
}

TEST(SageMaker, BadArgumentsAreClearErrors) {
  const std::string image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/aa:1";
  auto r = test::run_cli({"sagemaker-job", "--lake", "s3://aa-lake/x", "--image", image,
                          "--role-arn", "my-role", "--dry-run"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'my-role' is not an IAM role ARN"), std::string::npos) << r.err;
  r = test::run_cli({"sagemaker-job", "--lake", "./lake", "--image", image, "--role-arn",
                     "arn:aws:iam::123456789012:role/r", "--dry-run"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("sagemaker-job runs on an S3 lake"), std::string::npos) << r.err;
  r = test::run_cli({"sagemaker-job", "--lake", "s3://aa-lake/x", "--image", image, "--role-arn",
                     "arn:aws:iam::123456789012:role/r", "--instance-type", "m5.large",
                     "--dry-run"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'m5.large' is not a SageMaker type"), std::string::npos) << r.err;
}

// Sent to moto's SageMaker: the job exists afterwards with what we asked for. Credentials come
// from a container credentials endpoint, as inside a SageMaker or ECS container.
TEST(SageMaker, CreatesTheJobWithContainerCredentials) {
  httplib::Server credentials;
  std::atomic<int> asked{0};
  credentials.Get("/creds", [&](const httplib::Request& req, httplib::Response& res) {
    ++asked;
    EXPECT_EQ(req.get_header_value("Authorization"), "container-token");
    res.set_content(R"({"AccessKeyId":"ASIAFROMCONTAINER","SecretAccessKey":"s","Token":"t",)"
                    R"("Expiration":"2026-11-25T00:00:00Z"})",
                    "application/json");
  });
  const int port = credentials.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { credentials.listen_after_bind(); });
  auto e = moto().env();
  e["AWS_ACCESS_KEY_ID"] = "";
  e["AWS_SECRET_ACCESS_KEY"] = "";
  e["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:" + std::to_string(port) + "/creds";
  e["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-token";
  e["ROLE_ARN"] = "arn:aws:iam::123456789012:role/loyalty-processing";
  auto r = test::run_cli({"sagemaker-job", "--lake", "s3://aa-lake/team/lake", "--image",
                          "123456789012.dkr.ecr.us-east-1.amazonaws.com/aa:1", "--job-name",
                          "churn-from-test", "--json"},
                         e);
  credentials.stop();
  thread.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(asked.load(), 1);
  EXPECT_EQ(json::parse(r.out)["answer"]["ProcessingJobArn"],
            "arn:aws:sagemaker:us-east-1:123456789012:processing-job/churn-from-test");
  // moto's DescribeProcessingJob shows the job as we defined it.
  aws::AwsContext context = moto_context();
  const auto described =
      json::parse(aws::json_call(context, "sagemaker", "SageMaker.DescribeProcessingJob",
                                 json{{"ProcessingJobName", "churn-from-test"}}.dump()));
  ASSERT_TRUE(described.is_object()) << described.dump();
  EXPECT_EQ(described.value("ProcessingJobName", ""), "churn-from-test") << described.dump();
  EXPECT_EQ(described.value("RoleArn", ""), "arn:aws:iam::123456789012:role/loyalty-processing");
  EXPECT_EQ(described.value("AppSpecification", json::object()).value("ImageUri", ""),
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/aa:1");
}

}  // namespace
}  // namespace aa
