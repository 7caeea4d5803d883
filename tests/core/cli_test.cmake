# Runs slot-engine as a user would and checks output and exit codes.
execute_process(COMMAND ${ENGINE} slots --snapshot ${DATA}/contract-examples/snapshot.json
                        --query ${DATA}/contract-examples/query.json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "slots exited ${rc}")
endif()
string(JSON total GET "${out}" total_days_with_availability)
if(NOT total EQUAL 3)
  message(FATAL_ERROR "unexpected slots output: ${out}")
endif()
execute_process(COMMAND ${ENGINE} validate --snapshot ${DATA}/contract-examples/snapshot.json
                        --booking ${DATA}/contract-examples/booking.json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
string(JSON reason GET "${out}" reason)
if(NOT rc EQUAL 0 OR NOT reason STREQUAL "conflict")
  message(FATAL_ERROR "validate: exit ${rc}, output ${out}")
endif()
# An error object exits 2.
execute_process(COMMAND ${ENGINE} slots --snapshot ${DATA}/contract-examples/booking.json
                        --query ${DATA}/contract-examples/query.json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
string(JSON code GET "${out}" error code)
if(NOT rc EQUAL 2 OR NOT code STREQUAL "invalid_snapshot")
  message(FATAL_ERROR "bad snapshot: exit ${rc}, output ${out}")
endif()
# prepare embeds the zone rules.
execute_process(COMMAND ${ENGINE} prepare --snapshot ${DATA}/contract-examples/snapshot.json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
string(JSON zone GET "${out}" zone_rules zone)
if(NOT rc EQUAL 0 OR NOT zone STREQUAL "America/New_York")
  message(FATAL_ERROR "prepare: exit ${rc}, output ${out}")
endif()
