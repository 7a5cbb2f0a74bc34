# cmake -DROOMSCRIBE=<executable> -DOUTPUT=<dir>/roomscribe.1 -P generate.cmake
# Writes OUTPUT and OUTPUT.gz (gzip -9n: no name or time stamp, so the same
# executable always gives the same bytes).
# No display is needed (--man-page never loads the console), and none is
# offered; a sanitized build's leak report at exit must not fail the build.
unset(ENV{DISPLAY})
unset(ENV{WAYLAND_DISPLAY})
set(ENV{ASAN_OPTIONS} "detect_leaks=0")
execute_process(COMMAND ${ROOMSCRIBE} --man-page
    OUTPUT_FILE ${OUTPUT}.tmp RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "${ROOMSCRIBE} --man-page failed: ${status}")
endif()
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
execute_process(COMMAND gzip -9nc ${OUTPUT} OUTPUT_FILE ${OUTPUT}.gz RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "gzip ${OUTPUT} failed: ${status}")
endif()
