#include "core/duck.h"

#include <gtest/gtest.h>

#include "core/chunk_stream.h"
#include "core/progress.h"
#include "support/test_support.h"

namespace aa::duck {
namespace {

TEST(Duck, QueryReturnsTypedValuesAndNulls) {
  auto db = Database::open(":memory:");
  Connection c(db);
  auto r = c.query("select 42::bigint as a, 2.5::double as b, 'x''y' as c, null::int as d");
  ASSERT_EQ(r.row_count(), 1u);
  ASSERT_EQ(r.column_count(), 4u);
  EXPECT_EQ(r.column_name(2), "c");
  EXPECT_EQ(r.int64(0, 0), 42);
  EXPECT_DOUBLE_EQ(r.float64(1, 0), 2.5);
  EXPECT_EQ(r.text(2, 0), "x'y");
  EXPECT_TRUE(r.is_null(3, 0));
  EXPECT_EQ(r.text(3, 0), std::nullopt);
}

TEST(Duck, ErrorsCarryDuckDBsMessage) {
  auto db = Database::open(":memory:");
  Connection c(db);
  try {
    c.query("select * from no_such_table");
    FAIL() << "expected an error";
  } catch (const core::AppError& e) {
    EXPECT_EQ(e.kind(), core::ErrorKind::Database);
    EXPECT_NE(std::string(e.what()).find("Table with name no_such_table does not exist"),
              std::string::npos)
        << e.what();
  }
}

TEST(Duck, ReadingOutsideTheResultIsAnError) {
  auto db = Database::open(":memory:");
  Connection c(db);
  auto r = c.query("select 1");
  EXPECT_APP_ERROR(r.int64(0, 1), core::ErrorKind::Database,
                   "duckdb: no cell at column 0 row 1 (1 columns, 1 rows)");
}

TEST(Duck, InvalidSettingIsAnError) {
  EXPECT_APP_ERROR(Database::open(":memory:", {{"no_such_setting", "1"}}),
                   core::ErrorKind::Database,
                   "duckdb: cannot open ':memory:': Invalid Input Error: The following options "
                   "were not recognized: no_such_setting");
}

TEST(Duck, PreparedStatementBindsValuesNotSql) {
  auto db = Database::open(":memory:");
  Connection c(db);
  c.execute("create table t (name varchar, n bigint, x double)");
  c.execute("insert into t values ('a', 1, 1.0), ('b', 2, 2.0)");
  auto p = c.prepare("select count(*) from t where name = $1 or n = $2 or x = $3");
  p.bind(1, std::string("' or 1=1 --")).bind(2, std::int64_t{2}).bind(3, 9.0);
  EXPECT_EQ(p.execute().scalar_int64(), 1);  // only n = 2 matches; the payload is a literal
  p.bind_null(1).bind(2, std::int64_t{5}).bind(3, 1.0);
  EXPECT_EQ(p.execute().scalar_int64(), 1);
  EXPECT_APP_ERROR_CONTAINS(p.bind(7, std::int64_t{1}), core::ErrorKind::Database,
                            "duckdb: cannot bind parameter 7: ");
}

TEST(Duck, PrepareErrorIsReported) {
  auto db = Database::open(":memory:");
  Connection c(db);
  EXPECT_APP_ERROR_CONTAINS(c.prepare("selec 1"), core::ErrorKind::Database,
                            "duckdb: Parser Error: syntax error at or near \"selec\"");
}

TEST(Duck, ChunkWriterWritesManyChunksWithNullsAcrossResets) {
  auto db = Database::open(":memory:");
  Connection c(db);
  c.execute("create table t (a bigint, b double, c varchar)");
  ChunkWriter writer(c, "t", {ColumnType::Int64, ColumnType::Float64, ColumnType::Varchar});
  const std::size_t rows = writer.chunk().capacity() * 2 + 3;  // several chunks and a tail
  for (std::size_t i = 0; i < rows; ++i) {
    DataChunk& chunk = writer.chunk();
    chunk.set_int64(0, writer.row(), static_cast<std::int64_t>(i));
    if (i % 2 == 0) {
      chunk.set_null(1, writer.row());
    } else {
      chunk.set_float64(1, writer.row(), static_cast<double>(i) / 2);
    }
    chunk.set_varchar(2, writer.row(), i % 3 == 0 ? "a long string that is not inlined" : "s");
    writer.commit_row();
  }
  writer.finish();
  auto r = c.query(
      "select count(*), count(b), sum(a), sum(b), count(*) filter (where c = 's'), "
      "count(*) filter (where a % 2 = 0 and b is not null) from t");
  EXPECT_EQ(r.int64(0, 0), static_cast<std::int64_t>(rows));
  EXPECT_EQ(r.int64(1, 0), static_cast<std::int64_t>(rows / 2));
  EXPECT_EQ(r.int64(2, 0), static_cast<std::int64_t>(rows * (rows - 1) / 2));
  double odd_sum = 0;
  std::int64_t not_third = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    odd_sum += i % 2 ? static_cast<double>(i) / 2 : 0;
    not_third += i % 3 ? 1 : 0;
  }
  EXPECT_DOUBLE_EQ(r.float64(3, 0), odd_sum);
  EXPECT_EQ(r.int64(4, 0), not_third);
  EXPECT_EQ(r.int64(5, 0), 0);  // a null set in one chunk never leaks into the next
}

// Many chunks (more than the stream's depth, so the producer waits for the reader), nulls, a
// partial last chunk, in order, read by a query on another thread.
TEST(Duck, ChunkStreamFeedsAQueryInOrderWithNulls) {
  auto db = Database::open(":memory:");
  Connection c(db);
  ChunkStream stream(c, "numbers", {{"a", ColumnType::Int64}, {"b", ColumnType::Float64}}, 3);
  const std::size_t rows = stream.chunk().capacity() * 7 + 5;
  c.execute("create table t (i bigint, a bigint, b double)");
  stream.run("insert into t select row_number() over (), a, b from numbers()", [&](RowSink& sink) {
    for (std::size_t i = 0; i < rows; ++i) {
      sink.chunk().set_int64(0, sink.row(), static_cast<std::int64_t>(i));
      if (i % 5 == 0) {
        sink.chunk().set_null(1, sink.row());
      } else {
        sink.chunk().set_float64(1, sink.row(), 0.5 * static_cast<double>(i));
      }
      sink.commit_row();
    }
  });
  auto r = c.query(
      "select count(*), count(b), sum(a), count(*) filter (where a <> i - 1), "
      "count(*) filter (where (a % 5 = 0) <> (b is null)), sum(b) from t");
  EXPECT_EQ(r.int64(0, 0), static_cast<std::int64_t>(rows));
  EXPECT_EQ(r.int64(1, 0), static_cast<std::int64_t>(rows - (rows + 4) / 5));
  EXPECT_EQ(r.int64(2, 0), static_cast<std::int64_t>(rows * (rows - 1) / 2));
  EXPECT_EQ(r.int64(3, 0), 0);  // in the order produced
  EXPECT_EQ(r.int64(4, 0), 0);  // nulls exactly where set, never carried into a later chunk
  double sum = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    sum += i % 5 ? 0.5 * static_cast<double>(i) : 0;
  }
  EXPECT_DOUBLE_EQ(r.float64(5, 0), sum);
}

// The producer's error is the one reported (not the query's "stopped short"), and the query
// wrote nothing.
TEST(Duck, ChunkStreamRethrowsTheProducersError) {
  auto db = Database::open(":memory:");
  Connection c(db);
  c.execute("create table t (a bigint)");
  ChunkStream stream(c, "failing", {{"a", ColumnType::Int64}}, 2);
  const std::size_t rows = stream.chunk().capacity() * 5;
  try {
    stream.run("insert into t select a from failing()", [&](RowSink& sink) {
      for (std::size_t i = 0; i < rows; ++i) {
        sink.chunk().set_int64(0, sink.row(), 1);
        sink.commit_row();
      }
      core::fail(core::ErrorKind::InvalidInput, "bad row at line {}", 42);
    });
    FAIL() << "expected the producer's error";
  } catch (const core::AppError& e) {
    EXPECT_STREQ(e.what(), "bad row at line 42");
  }
  EXPECT_EQ(c.query("select count(*) from t").int64(0, 0), 0);
}

// When the query fails first, the producer is stopped (it would otherwise wait forever for a
// reader) and the query's error is reported.
TEST(Duck, ChunkStreamStopsTheProducerWhenTheQueryFails) {
  auto db = Database::open(":memory:");
  Connection c(db);
  ChunkStream stream(c, "endless", {{"a", ColumnType::Int64}}, 2);
  std::size_t produced = 0;
  EXPECT_APP_ERROR_CONTAINS(stream.run("select cast('x' || a as integer) from endless()",
                                       [&](RowSink& sink) {
                                         for (;;) {
                                           sink.chunk().set_int64(0, sink.row(), 1);
                                           sink.commit_row();
                                           ++produced;
                                         }
                                       }),
                            core::ErrorKind::Database,
                            "duckdb: Conversion Error: Could not convert string 'x1' to INT32");
  EXPECT_GT(produced, 0u);
}

// A producer that abandons the stream (the ingest's streamed merge when a member's rows turn
// out apart): the query fails, so it wrote nothing, and run() returns false without throwing.
TEST(Duck, ChunkStreamAbandonedByTheProducerReturnsFalse) {
  auto db = Database::open(":memory:");
  Connection c(db);
  c.execute("create table t (a bigint)");
  ChunkStream stream(c, "abandoned", {{"a", ColumnType::Int64}}, 2);
  const std::size_t rows = stream.chunk().capacity() * 3 + 1;
  const bool finished = stream.run("insert into t select a from abandoned()", [&](RowSink& sink) {
    for (std::size_t i = 0; i < rows; ++i) {
      sink.chunk().set_int64(0, sink.row(), 1);
      sink.commit_row();
    }
    stream.abandon();
  });
  EXPECT_FALSE(finished);
  EXPECT_EQ(c.query("select count(*) from t").int64(0, 0), 0);
  ChunkStream whole(c, "whole", {{"a", ColumnType::Int64}});
  EXPECT_TRUE(whole.run("insert into t select a from whole()", [](RowSink& sink) {
    sink.chunk().set_int64(0, sink.row(), 7);
    sink.commit_row();
  }));
  EXPECT_EQ(c.query("select sum(a) from t").int64(0, 0), 7);
}

// The registered function outlives the stream object: calling it afterwards is an error.
TEST(Duck, ChunkStreamIsClosedOnceGone) {
  auto db = Database::open(":memory:");
  Connection c(db);
  {
    ChunkStream stream(c, "gone", {{"a", ColumnType::Int64}});
    stream.run("select count(*) from gone()", [](RowSink&) {});
  }
  EXPECT_APP_ERROR_CONTAINS(c.query("select * from gone()"), core::ErrorKind::Database,
                            "this stream of rows is closed");
}

TEST(Duck, AppenderToMissingTableIsAnError) {
  auto db = Database::open(":memory:");
  Connection c(db);
  EXPECT_APP_ERROR(Appender(c, "missing"), core::ErrorKind::Database,
                   "duckdb: cannot append to missing: Table \".main.missing\" could not be found");
}

TEST(Duck, Quoting) {
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
  EXPECT_EQ(quote_ident("a\"b"), "\"a\"\"b\"");
}

// DuckDB's own progress bar is off in every database we open: our progress display is the
// only one, and --quiet is quiet (issue 28).
// DuckDB never prints its own bar: it is off, or (when our display shows progress on a terminal)
// on without printing (tests/core/query_progress_test.cc), whatever terminal the test runs in.
TEST(Duck, DuckDbsOwnProgressBarIsNeverPrinted) {
  auto db = duck::Database::open(":memory:");
  auto with_options = duck::Database::open(":memory:", {{"threads", "1"}});
  for (auto* database : {&db, &with_options}) {
    duck::Connection c(*database);
    const std::string bar =
        c.query("select current_setting('enable_progress_bar')::varchar").scalar_text();
    EXPECT_EQ(bar, core::progress_on_terminal() ? "true" : "false");
    if (bar == "true") {
      EXPECT_EQ(
          c.query("select current_setting('enable_progress_bar_print')::varchar").scalar_text(),
          "false");
    }
  }
}

}  // namespace
}  // namespace aa::duck
