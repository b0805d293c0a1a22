#include "ingest/activity_months.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/app_error.h"

namespace aa::ingest {

namespace {

constexpr const char* kPartition = "aa_month";

}  // namespace

std::string parquet_list(const std::vector<fs::path>& files) {
  std::vector<std::string> quoted;
  quoted.reserve(files.size());
  for (const auto& f : files) {
    quoted.push_back(duck::quote_literal(f.string()));
  }
  return "[" + fmt::format("{}", fmt::join(quoted, ", ")) + "]";
}

ActivityMonthIndex read_activity_index(const core::Lake& lake) {
  ActivityMonthIndex index;
  if (!fs::exists(lake.processed_activity_index())) {
    return index;
  }
  const auto json = nlohmann::json::parse(core::read_file(lake.processed_activity_index()));
  for (const auto& [month, entry] : json.at("months").items()) {
    index[month] = {entry.at("rows").get<std::int64_t>(),
                    entry.at("fingerprint").get<std::string>(),
                    entry.value("files", std::vector<std::string>{month + ".parquet"})};
  }
  return index;
}

ActivityMonths::ActivityMonths(const core::Lake& lake, fs::path scratch)
    : lake_(lake), scratch_(std::move(scratch)) {
  std::error_code ec;
  fs::remove_all(scratch_, ec);
  fs::create_directories(scratch_);
  previous_ = read_activity_index(lake);
  legacy_ = previous_.empty() && fs::exists(lake.legacy_processed_activity());
}

ActivityMonths::~ActivityMonths() {
  std::error_code ec;
  fs::remove_all(scratch_, ec);
}

std::string ActivityMonths::copy_sql(const std::string& select_sql,
                                     const std::string& parquet_options) const {
  // parquet_options is "(format parquet, ...)": the partitioning joins its list.
  std::string options = parquet_options;
  options.insert(options.rfind(')'),
                 fmt::format(", partition_by ({}), overwrite_or_ignore", kPartition));
  // The partition key is the number yyyymm: a string made per row (printf) cost about a tenth
  // of the ingest at 1M members, in the formatting and in hashing the partition keys.
  return fmt::format("copy (select *, year * 100 + month as {} from ({})) to {} {}", kPartition,
                     select_sql, duck::quote_literal(scratch_.string()), options);
}

// A month's scratch folder, as DuckDB names the partition: "aa_month=201801" for "2018-01".
fs::path ActivityMonths::partition_folder(const std::string& month) const {
  std::string key = month;
  key.erase(std::remove(key.begin(), key.end(), '-'), key.end());
  return scratch_ / (std::string(kPartition) + "=" + key);
}

fs::path ActivityMonths::scratch_file(const std::string& month) const {
  return partition_folder(month) / "month.parquet";
}

fs::path ActivityMonths::delta_file(const std::string& month) const {
  return partition_folder(month) / "added.parquet";
}

std::vector<fs::path> ActivityMonths::published_files(const ActivityMonth& month) const {
  std::vector<fs::path> files;
  for (const auto& name : month.files) {
    files.push_back(lake_.processed_activity_dir() / name);
  }
  return files;
}

// One file per month: DuckDB names a partition's file itself; a month written as several
// files (not seen, but allowed) is combined into one.
void ActivityMonths::combine_parts(duck::Connection& connection) {
  std::error_code ec;
  for (const auto& folder : fs::directory_iterator(scratch_)) {
    if (!folder.is_directory()) {
      continue;
    }
    std::vector<fs::path> parts;
    for (const auto& f : fs::directory_iterator(folder.path())) {
      if (f.path().extension() == ".parquet") {
        parts.push_back(f.path());
      }
    }
    const fs::path target = folder.path() / "month.parquet";
    if (parts.size() == 1) {
      fs::rename(parts[0], target);
    } else if (parts.size() > 1) {
      std::sort(parts.begin(), parts.end());
      connection.execute(fmt::format(
          "copy (select * from read_parquet({})) to {} (format parquet, compression zstd, "
          "compression_level 1, row_group_size 122880)",
          parquet_list(parts), duck::quote_literal(target.string())));
      for (const auto& p : parts) {
        fs::remove(p, ec);
      }
    }
  }
}

// Each written month's rows and fingerprint, into arrived_.
void ActivityMonths::measure(duck::Connection& connection) {
  auto r = connection.query(
      fmt::format("select printf('%04d-%02d', {0} // 100, {0} % 100), count(*), "
                  "printf('%016x', bit_xor(hash(loyalty_number, year, month, "
                  "total_flights, distance, points_accumulated, points_redeemed, "
                  "dollar_cost_points_redeemed))) from read_parquet({1}, hive_partitioning = true, "
                  "hive_types = {{'{0}': integer}}) group by {0} order by {0}",
                  kPartition, duck::quote_literal((scratch_ / "*" / "month.parquet").string())));
  for (std::size_t row = 0; row < r.row_count(); ++row) {
    arrived_[r.text(0, row).value_or("")] = {r.int64(1, row), r.text(2, row).value_or(""), {}};
  }
}

void ActivityMonths::compare(duck::Connection& connection) {
  combine_parts(connection);
  measure(connection);
  for (auto& [month, m] : arrived_) {
    const auto it = previous_.find(month);
    m.files = {month + ".parquet"};
    if (it == previous_.end()) {
      appended_.push_back(month);
      continue;
    }
    const ActivityMonth& before = it->second;
    const std::vector<fs::path> files = published_files(before);
    const bool intact =
        std::all_of(files.begin(), files.end(), [](const fs::path& f) { return fs::exists(f); });
    if (intact && before.rows == m.rows && before.fingerprint == m.fingerprint) {
      m.files = before.files;
      unchanged_.push_back(month);
      continue;
    }
    // Only rows added (every published row is still there, as it was): the added rows become
    // one more file of the month, unless the month holds as many files as it may.
    if (intact && m.rows > before.rows && before.files.size() < kMaxMonthFiles &&
        extend(connection, month, m, before, files)) {
      continue;
    }
    rewritten_.push_back(month);
  }
  for (const auto& [month, m] : previous_) {
    if (!arrived_.count(month)) {
      removed_.push_back(month);
    }
  }
}

bool ActivityMonths::extend(duck::Connection& connection, const std::string& month,
                            ActivityMonth& m, const ActivityMonth& before,
                            const std::vector<fs::path>& files) {
  // (The scratch folder's "aa_month=" names are not read as a column.)
  const std::string published =
      "read_parquet(" + parquet_list(files) + ", hive_partitioning = false)";
  const std::string arrived = "read_parquet(" + duck::quote_literal(scratch_file(month).string()) +
                              ", hive_partitioning = false)";
  const std::int64_t gone = connection
                                .query("select count(*) from (select * from " + published +
                                       " except all select * from " + arrived + ")")
                                .scalar_int64();
  if (gone != 0) {
    return false;
  }
  connection.execute(
      fmt::format("copy (select * from {} except all select * from {}) to {} (format parquet, "
                  "compression zstd, compression_level 1, row_group_size 122880)",
                  arrived, published, duck::quote_literal(delta_file(month).string())));
  m.files = before.files;
  m.files.push_back(fmt::format("{}+{}.parquet", month, before.files.size()));
  extended_.push_back(month);
  extended_rows_[month] = m.rows - before.rows;
  return true;
}

nlohmann::json ActivityMonths::stage(core::PublishGroup& outputs, std::vector<fs::path>& published,
                                     const std::map<std::string, std::string>& recorded,
                                     std::map<fs::path, std::string>& known_sha256) const {
  nlohmann::json index = {{"months", nlohmann::json::object()}};
  for (const auto& [month, m] : arrived_) {
    index["months"][month] = {{"rows", m.rows}, {"fingerprint", m.fingerprint}, {"files", m.files}};
    for (const auto& f : published_files(m)) {
      published.push_back(f);
    }
  }
  const auto keep_hash = [&](const fs::path& file) {
    const auto it = recorded.find(fs::relative(file, lake_.root()).string());
    if (it != recorded.end()) {
      known_sha256[file] = it->second;
    }
  };
  for (const auto& month : appended_) {
    outputs.add(scratch_file(month), lake_.processed_activity_month(month));
  }
  for (const auto& month : rewritten_) {  // one file again: the month's other files go
    outputs.add(scratch_file(month), lake_.processed_activity_month(month));
    for (const auto& f : published_files(previous_.at(month))) {
      if (f != lake_.processed_activity_month(month)) {
        outputs.remove(f);
      }
    }
  }
  for (const auto& month : extended_) {
    const ActivityMonth& m = arrived_.at(month);
    outputs.add(delta_file(month), lake_.processed_activity_dir() / m.files.back());
    for (std::size_t f = 0; f + 1 < m.files.size(); ++f) {
      keep_hash(lake_.processed_activity_dir() / m.files[f]);
    }
  }
  for (const auto& month : unchanged_) {
    for (const auto& f : published_files(arrived_.at(month))) {
      keep_hash(f);
    }
  }
  for (const auto& month : removed_) {
    for (const auto& f : published_files(previous_.at(month))) {
      outputs.remove(f);
    }
  }
  if (fs::exists(lake_.legacy_processed_activity())) {
    outputs.remove(lake_.legacy_processed_activity());
  }
  core::write_file_atomic(outputs.stage(lake_.processed_activity_index()), index.dump(2) + "\n");
  published.push_back(lake_.processed_activity_index());
  std::int64_t appended_rows = 0;
  for (const auto& month : appended_) {
    appended_rows += arrived_.at(month).rows;
  }
  std::int64_t extended_rows = 0;
  for (const auto& [month, rows] : extended_rows_) {
    extended_rows += rows;
  }
  return {{"path", fs::relative(lake_.processed_activity_dir(), lake_.root()).string()},
          {"months", arrived_.size()},
          {"appended", appended_},
          {"extended", extended_},
          {"rewritten", rewritten_},
          {"removed", removed_},
          {"unchanged", unchanged_.size()},
          {"appended_member_months", appended_rows},
          {"extended_member_months", extended_rows},
          {"unchanged_member_months", unchanged_member_months()}};
}

std::vector<fs::path> ActivityMonths::arrived_changed_files() const {
  std::vector<fs::path> files;
  for (const auto* months : {&appended_, &extended_, &rewritten_}) {
    for (const auto& month : *months) {
      files.push_back(scratch_file(month));
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> ActivityMonths::previous_changed_files() const {
  if (legacy_) {
    return {lake_.legacy_processed_activity()};
  }
  std::vector<fs::path> files;
  for (const auto* months : {&extended_, &rewritten_, &removed_}) {
    for (const auto& month : *months) {
      for (const auto& f : published_files(previous_.at(month))) {
        files.push_back(f);
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::int64_t ActivityMonths::unchanged_member_months() const {
  std::int64_t rows = 0;
  for (const auto& month : unchanged_) {
    rows += arrived_.at(month).rows;
  }
  return rows;
}

std::string ActivityMonths::previous_last_month() const {
  return previous_.empty() ? std::string() : previous_.rbegin()->first;
}

std::string ActivityMonths::first_month() const {
  if (arrived_.empty()) {
    core::fail(core::ErrorKind::InvalidInput,
               "the flight activity has no valid rows: no month to file the arrival under");
  }
  return arrived_.begin()->first;
}

std::string ActivityMonths::last_month() const {
  if (arrived_.empty()) {
    core::fail(core::ErrorKind::InvalidInput,
               "the flight activity has no valid rows: no month to file the arrival under");
  }
  return arrived_.rbegin()->first;
}

}  // namespace aa::ingest
