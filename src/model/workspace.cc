#include "model/workspace.h"

#include <fmt/format.h>
#include <unistd.h>

#include "core/app_error.h"
#include "features/features.h"
#include "features/sql_runner.h"

namespace aa::model {

void require_processed(const core::Lake& lake) {
  for (const auto& input : {lake.processed_loyalty(), lake.processed_activity()}) {
    if (!core::parquet_source_exists(input)) {
      core::fail(core::ErrorKind::NotFound,
                 "'{}' does not exist; run `airline-analytics ingest` first", input.string());
    }
  }
}

ModelWorkspace::ModelWorkspace(const core::Lake& lake, const duck::Options& options)
    : db_(duck::Database::open(":memory:", options)), connection_(db_) {
  require_processed(lake);
  features::bind_feature_sources(connection_, lake);
  features::SqlRunner runner(connection_);
  for (const auto& model : features::feature_models()) {
    if (model.find("/staging/") != std::string::npos) {
      runner.run(model, features::Materialization::View);
    }
  }
}

void ModelWorkspace::bind_customer_features(const core::Lake& lake) {
  if (!fs::exists(lake.customer_features())) {
    core::fail(core::ErrorKind::NotFound,
               "'{}' does not exist; run `airline-analytics features` first",
               lake.customer_features().string());
  }
  features::SqlRunner(connection_).bind_parquet("customer_features", lake.customer_features());
}

std::vector<std::int64_t> ModelWorkspace::member_batches(std::int64_t per_batch) {
  auto stats = connection_.query(
      "select count(*), min(loyalty_number), max(loyalty_number) from "
      "src_customer_loyalty_history");
  member_count_ = stats.int64(0, 0);
  if (member_count_ == 0) {
    return {};
  }
  std::vector<std::int64_t> bounds;
  auto starts = connection_.query(
      fmt::format("select loyalty_number from (select loyalty_number, row_number() over (order by "
                  "loyalty_number) - 1 as position from src_customer_loyalty_history) "
                  "where position % {} = 0 order by loyalty_number",
                  std::max<std::int64_t>(per_batch, 1)));
  for (std::size_t r = 0; r < starts.row_count(); ++r) {
    bounds.push_back(starts.int64(0, r));
  }
  bounds.push_back(stats.int64(2, 0) + 1);
  return bounds;
}

ModelWorkspace::~ModelWorkspace() {
  if (!partitions_.empty()) {
    std::error_code ec;
    fs::remove_all(partitions_, ec);
  }
}

void ModelWorkspace::partition_activity(const core::Lake& lake,
                                        const std::vector<std::int64_t>& bounds) {
  if (bounds.size() <= 2) {
    return;
  }
  // Batch i holds [bounds[i], bounds[i + 1]); numbers below bounds[1] are batch 0.
  std::string batch = "case";
  for (std::size_t b = 1; b + 1 < bounds.size(); ++b) {
    batch += fmt::format(" when loyalty_number < {} then {}", bounds[b], b - 1);
  }
  batch += fmt::format(" else {} end", bounds.size() - 2);
  partitions_ = lake.work_dir() / fmt::format("score-activity-{}", ::getpid());
  std::error_code ec;
  fs::remove_all(partitions_, ec);
  fs::create_directories(partitions_.parent_path());
  // Snappy: a scratch copy read once, where speed matters more than size.
  connection_.execute(
      fmt::format("copy (select *, {} as aa_batch from read_parquet({})) to {} "
                  "(format parquet, partition_by (aa_batch), compression snappy)",
                  batch, duck::quote_literal(lake.processed_activity().string()),
                  duck::quote_literal(partitions_.string())));
}

void ModelWorkspace::restrict_members(const core::Lake& lake,
                                      const std::vector<std::int64_t>& bounds, std::size_t b) {
  connection_.execute(fmt::format(
      "create or replace view src_customer_loyalty_history as select * from read_parquet({}) "
      "where loyalty_number >= {} and loyalty_number < {}",
      duck::quote_literal(lake.processed_loyalty().string()), bounds.at(b), bounds.at(b + 1)));
  if (partitions_.empty()) {
    return;
  }
  const fs::path folder = partitions_ / fmt::format("aa_batch={}", b);
  // A batch whose members have no activity rows at all has no folder: an empty view.
  const bool has_rows = fs::exists(folder);
  const fs::path source = has_rows ? folder / "*.parquet" : lake.processed_activity();
  connection_.execute(fmt::format(
      "create or replace view src_customer_flight_activity as select * from read_parquet({}){}",
      duck::quote_literal(source.string()), has_rows ? "" : " limit 0"));
}

nlohmann::json ModelWorkspace::sample_members(const core::Lake& lake, std::int64_t max_members,
                                              std::uint64_t seed) {
  const std::int64_t total =
      connection_.query("select count(*) from src_customer_loyalty_history").scalar_int64();
  nlohmann::json out = {{"members_available", total}, {"max_members", max_members}};
  if (max_members <= 0 || total <= max_members) {
    out["sampled"] = false;
    out["members_used"] = total;
    return out;
  }
  const double fraction = static_cast<double>(max_members) / static_cast<double>(total);
  connection_.execute(fmt::format(
      "create or replace temp table training_members as "
      "select loyalty_number from ("
      "  select loyalty_number,"
      "    row_number() over (partition by stratum order by hash(loyalty_number, {}::ubigint), "
      "      loyalty_number) as draw,"
      "    count(*) over (partition by stratum) as stratum_size"
      "  from (select loyalty_number,"
      "    [cast(cancellation_year is not null as varchar), coalesce(loyalty_card, ''), "
      "     coalesce(enrollment_type, '')] as stratum"
      "    from src_customer_loyalty_history))"
      "where draw <= round(stratum_size * {:.17g})",
      seed, fraction));
  const auto restrict = [&](const std::string& view, const fs::path& parquet) {
    connection_.execute("create or replace view " + duck::quote_ident(view) +
                        " as select * from read_parquet(" + duck::quote_literal(parquet.string()) +
                        ") where loyalty_number in (select loyalty_number from training_members)");
  };
  restrict("src_customer_loyalty_history", lake.processed_loyalty());
  if (fs::exists(lake.customer_features())) {
    restrict("customer_features", lake.customer_features());
  }
  // The sample's activity rows, read once: the snapshots for every cutoff then scan a few
  // million rows instead of the whole activity (240M rows at 10M members). The caller takes
  // the data window from the whole activity before sampling.
  connection_.execute(
      "create or replace temp table training_activity as select * from read_parquet(" +
      duck::quote_literal(lake.processed_activity().string()) +
      ") where loyalty_number in (select loyalty_number from training_members)");
  connection_.execute(
      "create or replace view src_customer_flight_activity as select * from training_activity");
  out["sampled"] = true;
  out["members_used"] = connection_.query("select count(*) from training_members").scalar_int64();
  auto shares = connection_.query(
      "select avg((cancellation_year is not null)::double), "
      "avg((cancellation_year is not null)::double) filter (where loyalty_number in "
      "(select loyalty_number from training_members)) "
      "from read_parquet(" +
      duck::quote_literal(lake.processed_loyalty().string()) + ")");
  out["cancelled_share_available"] = shares.float64(0, 0);
  out["cancelled_share_used"] = shares.float64(1, 0);
  out["rule"] =
      "stratified by cancelled x loyalty card x enrollment type, each stratum kept in "
      "proportion; members in the order of DuckDB hash(loyalty_number, seed)";
  return out;
}

}  // namespace aa::model
