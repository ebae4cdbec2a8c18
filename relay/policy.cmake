# What the relay does on its own: blocklist, unattended policy, keepAlive, reconciliation,
# transfer outcomes.
set(FRONTDESK_RELAY_POLICY_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/policyengine.h
    ${CMAKE_CURRENT_LIST_DIR}/policyengine.cpp
)
