# Fails when a test asserts an AppError without its message: a bare
# EXPECT_THROW(statement, AppError) or ASSERT_THROW(statement, AppError). Use EXPECT_APP_ERROR
# or EXPECT_APP_ERROR_CONTAINS (support/test_support.h), which check the kind and the message.
# Run by CTest: cmake -DTESTS_DIR=<source>/tests -P check_app_error_asserts.cmake
#
# A bare assertion is found by AppError being a macro's last argument (", AppError)"), which
# also finds one whose statement spans several lines.

if(NOT TESTS_DIR)
  message(FATAL_ERROR "TESTS_DIR is not set")
endif()

# Files whose bare assertions are still to be converted (issue 27), with how many they hold
# now: the number may only go down. Remove a line when its file reaches 0.
set(pending)

file(GLOB_RECURSE sources RELATIVE "${TESTS_DIR}" "${TESTS_DIR}/*.cc" "${TESTS_DIR}/*.h")
set(problems "")
foreach(source IN LISTS sources)
  file(READ "${TESTS_DIR}/${source}" text)
  string(REGEX MATCHALL ",[ \t\r\n]*(::)?(aa::)?AppError[ \t\r\n]*\\)" found "${text}")
  list(LENGTH found count)
  set(allowed 0)
  foreach(entry IN LISTS pending)
    if(entry MATCHES "^(.*)=([0-9]+)$" AND CMAKE_MATCH_1 STREQUAL source)
      set(allowed ${CMAKE_MATCH_2})
    endif()
  endforeach()
  if(count GREATER allowed)
    string(APPEND problems "  tests/${source}: ${count} bare EXPECT_THROW/ASSERT_THROW(..., AppError)"
           " (allowed ${allowed})\n")
  endif()
endforeach()

if(problems)
  message(FATAL_ERROR
    "Assert the error's kind and message with EXPECT_APP_ERROR or EXPECT_APP_ERROR_CONTAINS "
    "(tests/support/test_support.h) instead of a bare EXPECT_THROW(..., AppError):\n${problems}")
endif()
list(LENGTH sources checked)
message(STATUS "${checked} test files checked: no bare EXPECT_THROW(..., AppError) beyond the pending list")
