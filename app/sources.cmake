set(FRONTDESK_APP_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/relayconnection.h
    ${CMAKE_CURRENT_LIST_DIR}/relayconnection.cpp
    ${CMAKE_CURRENT_LIST_DIR}/credentialstore.h
    ${CMAKE_CURRENT_LIST_DIR}/credentialstore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/keychaincredentialstore.h
    ${CMAKE_CURRENT_LIST_DIR}/keychaincredentialstore.cpp
)
