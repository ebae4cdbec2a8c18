# Operators' actions: the Graph proxy, claims and audit.
set(FRONTDESK_RELAY_ACTION_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/actiongateway.h
    ${CMAKE_CURRENT_LIST_DIR}/actiongateway.cpp
)
