# Operators' actions: the Graph proxy, claims and audit.
set(FRONTDESK_RELAY_ACTION_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/actiongateway.h
    ${CMAKE_CURRENT_LIST_DIR}/actiongateway.cpp
    ${CMAKE_CURRENT_LIST_DIR}/apihttp.h
    ${CMAKE_CURRENT_LIST_DIR}/apihttp.cpp
    ${CMAKE_CURRENT_LIST_DIR}/auditlog.h
    ${CMAKE_CURRENT_LIST_DIR}/auditlog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/claims.h
    ${CMAKE_CURRENT_LIST_DIR}/claims.cpp
    ${CMAKE_CURRENT_LIST_DIR}/graphproxy.h
    ${CMAKE_CURRENT_LIST_DIR}/graphproxy.cpp
)
