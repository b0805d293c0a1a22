#pragma once
// The activity rows of a file whose members' rows are apart (a file in month order, as an
// export appended month by month is, or the real data set), kept by member until the file
// ends and then handed back one member at a time, so that they go through the same member
// merge (MemberBlockMerger) as a file that lists each member's rows together.
//
// Members are numbered by their first appearance (0, 1, ...). Rows are packed in 32 bytes
// and gathered by ranges of member numbers (at most 256 ranges, at least 65,536 members each)
// in 64 KiB blocks of a scratch file, so memory holds one block per range while the file is
// read (at most 16 MiB) and one range's rows twice while they are handed back (about 100 MB
// at 24 rows a member). At 10M members the file holds 234.7M rows: 7.5 GB on disk.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "ingest/activity_merge.h"

namespace aa {
namespace fs = std::filesystem;
}  // namespace aa

namespace aa::ingest {

class ActivitySpill {
 public:
  // Rows of members numbered below `members`, spilled to `path` (created now, removed when the
  // spill goes).
  ActivitySpill(fs::path path, std::size_t members);
  ~ActivitySpill();
  ActivitySpill(const ActivitySpill&) = delete;
  ActivitySpill& operator=(const ActivitySpill&) = delete;

  // A validated row (ranges as activity_spec() checks them) of member number `member`.
  void add(std::uint32_t member, const ActivityRow& row);
  // Calls `emit` for every row: members in number order, each member's rows in the order they
  // were added. `progress` (if set) gets the rows handed back so far, once per range.
  void replay(const std::function<void(std::uint32_t member, const ActivityRow& row)>& emit,
              const std::function<void(std::uint64_t rows)>& progress = {});

  std::uint64_t rows() const { return rows_; }
  std::uint64_t bytes_on_disk() const { return end_; }
  std::size_t ranges() const { return ranges_.size(); }

  struct Packed {
    std::uint32_t member;
    std::uint16_t month_index;  // (year - 1900) * 12 + month - 1
    std::uint16_t total_flights;
    std::int32_t distance;
    std::int32_t points_redeemed;
    double points_accumulated;
    double dollar_cost_points_redeemed;
  };
  static constexpr std::size_t kBlockRows = 2048;  // 64 KiB

 private:
  struct Range {
    std::vector<Packed> block;          // the rows not yet written
    std::vector<std::uint64_t> blocks;  // offsets of its full blocks in the file
    std::uint64_t rows = 0;
  };
  void write_block(Range& range);

  fs::path path_;
  int fd_ = -1;
  std::uint32_t members_ = 0;
  std::uint32_t per_range_ = 0;
  std::vector<Range> ranges_;
  std::uint64_t rows_ = 0;
  std::uint64_t end_ = 0;
};

}  // namespace aa::ingest
