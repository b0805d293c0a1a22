#include "ingest/activity_spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/app_error.h"
#include "ingest/schema.h"

namespace aa::ingest {

namespace {

static_assert(sizeof(ActivitySpill::Packed) == 32);

constexpr std::int64_t kFirstYear = 1900;
constexpr std::size_t kMaxRanges = 256;
constexpr std::uint32_t kMinPerRange = 1U << 16;

// The packed row holds what activity_spec() lets through; a wider rule there must widen it.
void check_packing_fits_the_rules() {
  const TableSpec& spec = activity_spec();
  const auto within = [&](const char* name, double low, double high) {
    const ColumnSpec& c = spec.columns[spec.index_of(name)];
    if (!c.min || !c.max || *c.min < low || *c.max > high) {
      throw std::logic_error(std::string("ActivitySpill::Packed cannot hold every valid ") + name);
    }
  };
  within("year", kFirstYear, kFirstYear + 65535 / 12 - 1);
  within("month", 1, 12);
  within("total_flights", 0, 65535);
  within("distance", 0, 2147483647.0);
  within("points_redeemed", 0, 2147483647.0);
}

// Reads or writes `size` bytes at `offset` whole (pread/pwrite may do part of it).
template <typename Transfer>
void transfer_all(Transfer transfer, int fd, char* bytes, std::size_t size, std::uint64_t offset,
                  const fs::path& path, const char* what, const char* short_reason) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = transfer(fd, bytes + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      core::fail(core::ErrorKind::Io, "cannot {} '{}' (the activity rows set aside by member): {}",
                 what, path.string(), n < 0 ? std::strerror(errno) : short_reason);
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

ActivitySpill::ActivitySpill(fs::path path, std::size_t members) : path_(std::move(path)) {
  check_packing_fits_the_rules();
  if (members > 0xFFFFFFFFULL) {
    core::fail(core::ErrorKind::InvalidInput, "{} members: more than the activity merge can number",
               members);
  }
  members_ = static_cast<std::uint32_t>(members);
  per_range_ = std::max<std::uint32_t>(
      kMinPerRange, static_cast<std::uint32_t>((members + kMaxRanges - 1) / kMaxRanges));
  ranges_.resize(std::max<std::size_t>(1, (members + per_range_ - 1) / per_range_));
  std::error_code ec;
  fs::create_directories(path_.parent_path(), ec);
  if (ec) {
    core::fail(core::ErrorKind::Io, "cannot create '{}': {}", path_.parent_path().string(),
               ec.message());
  }
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    core::fail(core::ErrorKind::Io, "cannot create '{}': {}", path_.string(), std::strerror(errno));
  }
}

ActivitySpill::~ActivitySpill() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  std::error_code ec;
  fs::remove(path_, ec);
}

void ActivitySpill::add(std::uint32_t member, const ActivityRow& row) {
  if (member >= members_) {
    throw std::out_of_range("ActivitySpill::add: member number beyond the members given");
  }
  Range& range = ranges_[member / per_range_];
  if (range.block.capacity() == 0) {
    range.block.reserve(kBlockRows);
  }
  range.block.push_back(
      {member, static_cast<std::uint16_t>((row.year - kFirstYear) * 12 + row.month - 1),
       static_cast<std::uint16_t>(row.total_flights), static_cast<std::int32_t>(row.distance),
       static_cast<std::int32_t>(row.points_redeemed), row.points_accumulated,
       row.dollar_cost_points_redeemed});
  ++range.rows;
  ++rows_;
  if (range.block.size() == kBlockRows) {
    write_block(range);
  }
}

void ActivitySpill::write_block(Range& range) {
  const std::size_t size = range.block.size() * sizeof(Packed);
  transfer_all([](int fd, char* b, std::size_t n, off_t at) { return ::pwrite(fd, b, n, at); }, fd_,
               reinterpret_cast<char*>(range.block.data()), size, end_, path_, "write",
               "no space written");
  range.blocks.push_back(end_);
  end_ += size;
  range.block.clear();
}

void ActivitySpill::replay(
    const std::function<void(std::uint32_t member, const ActivityRow& row)>& emit,
    const std::function<void(std::uint64_t rows)>& progress) {
  std::vector<Packed> rows;
  std::vector<Packed> sorted;
  std::vector<std::uint32_t> starts(per_range_ + 1);
  std::uint64_t handed = 0;
  for (std::size_t r = 0; r < ranges_.size(); ++r) {
    Range& range = ranges_[r];
    rows.resize(range.rows);
    std::size_t at = 0;
    for (const std::uint64_t offset : range.blocks) {
      transfer_all(
          [](int fd, char* b, std::size_t n, off_t from) { return ::pread(fd, b, n, from); }, fd_,
          reinterpret_cast<char*>(rows.data() + at), kBlockRows * sizeof(Packed), offset, path_,
          "read", "the file is shorter than written");
      at += kBlockRows;
    }
    std::copy(range.block.begin(), range.block.end(),
              rows.begin() + static_cast<std::ptrdiff_t>(at));
    std::vector<Packed>().swap(range.block);
    std::vector<std::uint64_t>().swap(range.blocks);

    // A stable counting sort by member number: each member's rows stay in the order added.
    const std::uint32_t base = static_cast<std::uint32_t>(r) * per_range_;
    std::fill(starts.begin(), starts.end(), 0);
    for (const Packed& p : rows) {
      ++starts[p.member - base + 1];
    }
    for (std::size_t i = 1; i < starts.size(); ++i) {
      starts[i] += starts[i - 1];
    }
    sorted.resize(rows.size());
    for (const Packed& p : rows) {
      sorted[starts[p.member - base]++] = p;
    }
    for (const Packed& p : sorted) {
      const ActivityRow row{kFirstYear + p.month_index / 12,
                            p.month_index % 12 + 1,
                            p.total_flights,
                            p.distance,
                            p.points_accumulated,
                            p.points_redeemed,
                            p.dollar_cost_points_redeemed};
      emit(p.member, row);
    }
    handed += rows.size();
    if (progress) {
      progress(handed);
    }
  }
}

}  // namespace aa::ingest
