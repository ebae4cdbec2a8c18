# The sandbox's transport: HTTP server, tokens, signed callbacks, chaos and scenarios.
set(FRONTDESK_SANDBOX_SERVER_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/sandboxserver.h
    ${CMAKE_CURRENT_LIST_DIR}/sandboxserver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sandboxserver_graph.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sandboxserver_control.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tokenissuer.h
    ${CMAKE_CURRENT_LIST_DIR}/tokenissuer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/callbacksender.h
    ${CMAKE_CURRENT_LIST_DIR}/callbacksender.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chaos.h
    ${CMAKE_CURRENT_LIST_DIR}/chaos.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scenario.h
    ${CMAKE_CURRENT_LIST_DIR}/scenario.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scenariorunner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sandboxoptions.h
    ${CMAKE_CURRENT_LIST_DIR}/sandboxoptions.cpp
)
# --version prints the project's version.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/sandboxoptions.cpp PROPERTIES
    COMPILE_DEFINITIONS FRONTDESK_SANDBOX_VERSION="${PROJECT_VERSION}")
