# Finds DuckDB's C API (duckdb.h + libduckdb.so) and defines DuckDB::duckdb.
# Looked for, in order:
#   1. DUCKDB_ROOT (CMake or environment variable): the official release zip
#      (libduckdb-linux-amd64.zip) unpacked, with duckdb.h and libduckdb.so side by side.
#   2. deps/duckdb/node_modules: the official npm packages installed by `make deps`
#      (@duckdb/node-bindings-linux-x64 ships libduckdb.so, duckdb carries duckdb.h).
set(_duckdb_npm "${PROJECT_SOURCE_DIR}/deps/duckdb/node_modules")
if(NOT DUCKDB_ROOT AND DEFINED ENV{DUCKDB_ROOT})
  set(DUCKDB_ROOT "$ENV{DUCKDB_ROOT}")
endif()

find_path(DuckDB_INCLUDE_DIR duckdb.h
  HINTS ${DUCKDB_ROOT} "${DUCKDB_ROOT}/include" "${_duckdb_npm}/duckdb/src/duckdb/src/include"
  NO_DEFAULT_PATH)
find_library(DuckDB_LIBRARY duckdb
  HINTS ${DUCKDB_ROOT} "${DUCKDB_ROOT}/lib" "${_duckdb_npm}/@duckdb/node-bindings-linux-x64"
  NO_DEFAULT_PATH)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(DuckDB
  REQUIRED_VARS DuckDB_LIBRARY DuckDB_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "run `make deps` (npm packages) or set DUCKDB_ROOT to DuckDB's release zip")

if(DuckDB_FOUND AND NOT TARGET DuckDB::duckdb)
  add_library(DuckDB::duckdb SHARED IMPORTED)
  # The header is marked SYSTEM so that its warnings are not ours.
  set_target_properties(DuckDB::duckdb PROPERTIES
    IMPORTED_LOCATION "${DuckDB_LIBRARY}"
    IMPORTED_NO_SONAME FALSE
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${DuckDB_INCLUDE_DIR}"
    INTERFACE_INCLUDE_DIRECTORIES "${DuckDB_INCLUDE_DIR}")
  get_filename_component(DuckDB_LIBRARY_DIR "${DuckDB_LIBRARY}" DIRECTORY)
endif()
