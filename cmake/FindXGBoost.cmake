# Finds XGBoost's C API (xgboost/c_api.h + libxgboost.so, Debian's libxgboost-dev) and defines
# XGBoost::xgboost (to link it) and XGBoost::headers (its headers, plus XGBoost_RUNTIME_LIBRARY:
# the resolved library file, for code that loads it with dlopen). Debian's own xgboost-config.cmake cannot be used: it also imports the
# `xgboost` command-line program, which the -dev package does not ship, and CMake stops there.
# XGBOOST_ROOT (CMake or environment variable) points at another install prefix.
if(NOT XGBOOST_ROOT AND DEFINED ENV{XGBOOST_ROOT})
  set(XGBOOST_ROOT "$ENV{XGBOOST_ROOT}")
endif()

find_path(XGBoost_INCLUDE_DIR xgboost/c_api.h HINTS "${XGBOOST_ROOT}/include")
find_library(XGBoost_LIBRARY xgboost HINTS "${XGBOOST_ROOT}/lib")

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(XGBoost
  REQUIRED_VARS XGBoost_LIBRARY XGBoost_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "run `make deps` (apt package libxgboost-dev) or set XGBOOST_ROOT")

if(XGBoost_FOUND AND NOT TARGET XGBoost::xgboost)
  add_library(XGBoost::xgboost SHARED IMPORTED)
  set_target_properties(XGBoost::xgboost PROPERTIES
    IMPORTED_LOCATION "${XGBoost_LIBRARY}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${XGBoost_INCLUDE_DIR}")
  add_library(XGBoost::headers INTERFACE IMPORTED)
  set_target_properties(XGBoost::headers PROPERTIES
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${XGBoost_INCLUDE_DIR}")
  get_filename_component(XGBoost_RUNTIME_LIBRARY "${XGBoost_LIBRARY}" REALPATH)
endif()
mark_as_advanced(XGBoost_INCLUDE_DIR XGBoost_LIBRARY)
