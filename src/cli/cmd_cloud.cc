// Cloud commands: athena-ddl (print or run the Athena statements), sagemaker-job (the
// CreateProcessingJob request for train + score). See docs/scale-out.md.
#include <iostream>

#include "cli/cli_common.h"
#include "cloud/athena.h"
#include "cloud/s3_lake.h"
#include "cloud/sagemaker.h"
#include "core/app_error.h"

namespace aa::cli {

void register_athena_ddl(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "athena-ddl",
      "Print (or --execute) the Athena DDL: database, external tables over the lake's Parquet "
      "folders in S3, the customer_scored view");
  auto options = std::make_shared<CommonOptions>();
  add_common_options(*cmd, *options, false);
  auto database = std::make_shared<std::string>();
  cmd->add_option("--database", *database, "Athena / Glue database (default GLUE_DB)");
  auto execute = std::make_shared<bool>(false);
  cmd->add_flag("--execute", *execute,
                "Run the statements through the Athena API (StartQueryExecution, polling)");
  cmd->callback([options, database, execute] {
    const core::Config config = resolve_config(*options);
    const std::string db = database->empty() ? config.cloud.glue_db : *database;
    if (!database->empty()) {
      core::Config check = config;
      core::apply_setting(check, "GLUE_DB", db, "--database");
    }
    // LOCATION: the lake's own S3 URI, or S3_BUCKET with the zone prefixes for a local lake.
    const auto layout =
        aws::s3_lake_layout(config.lake_uri.empty() ? "s3://" : config.lake_uri, config.cloud);
    const auto statements = aws::athena_ddl(core::Lake(config.lake), layout, db);
    if (*execute) {
      const auto context =
          aws::aws_context(config, core::aws_environment(config), "athena-ddl --execute");
      const auto runs =
          aws::athena_execute(context, statements, db,
                              "s3://" + layout.bucket + "/" + config.cloud.athena_results_prefix);
      if (options->json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : runs) {
          out.push_back({{"statement", r.statement},
                         {"query_execution_id", r.query_execution_id},
                         {"state", r.state},
                         {"seconds", r.seconds}});
        }
        print_json({{"database", db}, {"executed", out}});
      }
      return;
    }
    if (options->json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : statements) {
        out.push_back({{"name", s.name}, {"sql", s.sql}, {"uses_database", s.uses_database}});
      }
      print_json({{"database", db}, {"statements", out}});
      return;
    }
    for (const auto& s : statements) {
      std::cout << s.sql << ";\n\n";
    }
    std::cout.flush();
  });
}

void register_sagemaker_job(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "sagemaker-job",
      "Create a SageMaker processing job running train and score on the S3 lake (--dry-run "
      "prints the CreateProcessingJob request)");
  auto options = std::make_shared<CommonOptions>();
  add_common_options(*cmd, *options, false);
  auto spec = std::make_shared<aws::ProcessingJobSpec>();
  cmd->add_option("--role-arn", spec->role_arn, "IAM role of the job (default ROLE_ARN)");
  cmd->add_option("--image", spec->image_uri, "Image URI built from the Dockerfile (ECR)")
      ->required();
  cmd->add_option("--instance-type", spec->instance_type,
                  "Instance type (default PROCESSING_INSTANCE_TYPE, else ml.m5.xlarge)");
  cmd->add_option("--job-name", spec->job_name, "Job name (default airline-analytics-<time>)");
  cmd->add_option("--volume-gb", spec->volume_gb, "Storage volume in GB")
      ->default_val(30)
      ->check(CLI::Range(1, 16384));
  cmd->add_option("--max-runtime", spec->max_runtime_seconds,
                  "Stop the job after this many seconds")
      ->default_val(3600)
      ->check(CLI::Range(1, 432000));
  auto dry_run = std::make_shared<bool>(false);
  cmd->add_flag("--dry-run", *dry_run, "Print the request instead of sending it");
  cmd->callback([options, spec, dry_run] {
    const core::Config config = resolve_config(*options, false);
    aws::ProcessingJobSpec job = *spec;
    if (job.role_arn.empty()) {
      job.role_arn = config.cloud.role_arn;
    }
    if (job.instance_type.empty()) {
      job.instance_type = config.cloud.processing_instance_type;
    }
    const std::string lake = config.lake.string();
    if (aws::is_s3_uri(lake)) {
      const auto layout = aws::s3_lake_layout(lake, config.cloud);
      job.lake_uri = "s3://" + layout.bucket + "/" + layout.root;
    } else if (!config.cloud.s3_bucket.empty()) {
      job.lake_uri = "s3://" + config.cloud.s3_bucket + "/";
    } else {
      core::fail(
          core::ErrorKind::InvalidInput,
          "sagemaker-job runs on an S3 lake: pass --lake s3://bucket/prefix or set S3_BUCKET");
    }
    const std::string region =
        aws::aws_region(config.llm.aws_region, core::aws_environment(config));
    const auto request = aws::processing_job_request(job, config.cloud, region);
    if (*dry_run) {
      print_json(request);
      return;
    }
    const auto context = aws::aws_context(config, core::aws_environment(config), "sagemaker-job");
    const auto answer = aws::create_processing_job(context, request);
    core::say("sagemaker", "created {} ({})", request["ProcessingJobName"].get<std::string>(),
              answer["ProcessingJobArn"].get<std::string>());
    if (options->json) {
      print_json({{"request", request}, {"answer", answer}});
    }
  });
}

}  // namespace aa::cli
