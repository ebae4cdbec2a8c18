# What the relay does on its own: blocklist, unattended policy, keepAlive, reconciliation,
# transfer outcomes, reminders, IVR flows.
set(FRONTDESK_RELAY_POLICY_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/policyengine.h
    ${CMAKE_CURRENT_LIST_DIR}/policyengine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/policyshared.h
    ${CMAKE_CURRENT_LIST_DIR}/blocklist.h
    ${CMAKE_CURRENT_LIST_DIR}/blocklist.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unattended.h
    ${CMAKE_CURRENT_LIST_DIR}/unattended.cpp
    ${CMAKE_CURRENT_LIST_DIR}/keepalive.h
    ${CMAKE_CURRENT_LIST_DIR}/keepalive.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reconciler.h
    ${CMAKE_CURRENT_LIST_DIR}/reconciler.cpp
    ${CMAKE_CURRENT_LIST_DIR}/transferwatch.h
    ${CMAKE_CURRENT_LIST_DIR}/transferwatch.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reminders.h
    ${CMAKE_CURRENT_LIST_DIR}/reminders.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reminderstore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/remindersapi.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ivrflow.h
    ${CMAKE_CURRENT_LIST_DIR}/ivrflow.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ivrrunner.h
    ${CMAKE_CURRENT_LIST_DIR}/ivrrunner.cpp
)
