# legacy_journal: a dossier journal written as before sources existed, for
# security_legacy_id_other_source.
add_executable(legacy_journal ${CMAKE_CURRENT_LIST_DIR}/legacy_journal.c)
target_link_libraries(legacy_journal PRIVATE cchc_bus cchc_proto)
