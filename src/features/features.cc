#include "features/features.h"

#include "core/app_error.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/sql_files.h"
#include "features/sql_runner.h"

namespace aa {

namespace {
constexpr const char* kStage = "features";
}

const std::vector<std::string>& feature_models() {
  static const std::vector<std::string> models = {
      "features/sql/staging/stg_customer_loyalty_history.sql",
      "features/sql/staging/stg_customer_flight_activity.sql",
      "features/sql/marts/customer_features.sql",
  };
  return models;
}

void bind_feature_sources(duck::Connection& connection, const Lake& lake) {
  SqlRunner runner(connection);
  runner.bind_parquet("src_customer_loyalty_history", lake.processed_loyalty());
  runner.bind_parquet("src_customer_flight_activity", lake.processed_activity());
}

StageResult build_customer_features(const Lake& lake, const StageOptions& options) {
  const Stopwatch clock;
  StageResult result;
  for (const auto& input : {lake.processed_loyalty(), lake.processed_activity()}) {
    if (!fs::exists(input)) {
      fail(ErrorKind::NotFound, "'{}' does not exist; run `airline-analytics ingest` first",
           input.string());
    }
  }
  StageState state(lake, kStage);
  state.add_input("processed_loyalty_sha256", sha256_file(lake.processed_loyalty()).sha256);
  state.add_input("processed_activity_sha256", sha256_file(lake.processed_activity()).sha256);
  for (const auto& model : feature_models()) {
    state.add_input(model, sha256_text(sql_file(model)));
  }
  if (auto skipped = state.skip_if_unchanged(
          options.force, clock.seconds(),
          "inputs and models unchanged: keeping the published customer features")) {
    return *skipped;
  }

  lake.create();
  auto db = duck::Database::open(":memory:", options.db_options);
  duck::Connection connection(db);
  bind_feature_sources(connection, lake);
  SqlRunner runner(connection);
  for (const auto& model : feature_models()) {
    const bool mart = model.find("/marts/") != std::string::npos;
    runner.run(model, mart ? Materialization::Table : Materialization::View);
  }
  const fs::path out = lake.customer_features();
  fs::create_directories(out.parent_path());
  const fs::path tmp = temp_path_for(out);
  connection.execute("copy (select * from customer_features order by loyalty_number) to " +
                     duck::quote_literal(tmp.string()) +
                     " (format parquet, compression zstd, row_group_size 122880)");
  auto segments = connection.query(
      "select rfm_segment, count(*) from customer_features group by rfm_segment order by 2 desc");
  nlohmann::json by_segment = nlohmann::json::object();
  std::int64_t members = 0;
  for (std::size_t r = 0; r < segments.row_count(); ++r) {
    by_segment[segments.text(0, r).value_or("")] = segments.int64(1, r);
    members += segments.int64(1, r);
  }
  kill_point("features:written");
  publish(tmp, out);
  result.outputs = {out};
  result.summary = {{"members", members},
                    {"segments", by_segment},
                    {"path", fs::relative(out, lake.root()).string()}};
  state.record(result.outputs, result.summary);
  result.seconds = clock.seconds();
  say(kStage, "{} members -> {} ({:.2f} s)", with_commas(members),
      fs::relative(out, lake.root()).string(), result.seconds);
  return result;
}

}  // namespace aa
