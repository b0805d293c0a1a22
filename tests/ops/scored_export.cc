// Writes a warehouse's customer_scored view to Parquet, one row per member in loyalty-number
// order, for reference_parity.py: the pandas peer of the reference's operations then reads the
// very rows our operations read.
//
//   scored_export WAREHOUSE.duckdb OUT.parquet
#include <iostream>

#include "core/app_error.h"
#include "core/duck.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: scored_export WAREHOUSE.duckdb OUT.parquet\n";
    return 2;
  }
  try {
    using namespace aa;
    auto db = duck::Database::open(":memory:");
    duck::Connection connection(db);
    connection.execute("attach " + duck::quote_literal(argv[1]) + " as wh (read_only)");
    connection.execute("copy (select * from wh.customer_scored order by loyalty_number) to " +
                       duck::quote_literal(argv[2]) + " (format parquet)");
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
