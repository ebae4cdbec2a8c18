# The sandbox engine's sources (the Graph model, no HTTP), relative to this folder.
set(FRONTDESK_SANDBOX_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/engine.h
    ${CMAKE_CURRENT_LIST_DIR}/engine_p.h
    ${CMAKE_CURRENT_LIST_DIR}/engine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/engine_calls.cpp
    ${CMAKE_CURRENT_LIST_DIR}/engine_media.cpp
    ${CMAKE_CURRENT_LIST_DIR}/engine_roster.cpp
    ${CMAKE_CURRENT_LIST_DIR}/engine_meetings.cpp
    ${CMAKE_CURRENT_LIST_DIR}/engine_state.cpp
    ${CMAKE_CURRENT_LIST_DIR}/engine_callees.cpp
)
