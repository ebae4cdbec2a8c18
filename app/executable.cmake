# The frontdesk executable: main.cpp, the composition root, over frontdesk_app and frontdesk_ui;
# its Russian translation; and what frontdesk_app needs only once the console is whole. The Qt
# modules (LinguistTools included) are found once, in the top-level CMakeLists.txt.

# The embedded sandbox mode (sandboxmode.cpp) runs the relay and the sandbox in this process,
# and the settings dialog is a widget. DESIGN.md allows app to link relay and sandbox for that
# mode only; the rest of the console never includes them.
target_link_libraries(frontdesk_app PUBLIC frontdesk_relay frontdesk_sandbox Qt6::Widgets)

# The sandbox's scenario is part of the program, so that an installed binary plays it too; the
# source tree's copy is only a fallback for a build whose resource went missing.
set(FRONTDESK_SCENARIO_FILE ${PROJECT_SOURCE_DIR}/sandbox/scenarios/front-desk-morning.json)
qt_add_resources(frontdesk_app "frontdesk_scenarios"
    PREFIX "/frontdesk/scenarios"
    BASE ${PROJECT_SOURCE_DIR}/sandbox/scenarios
    FILES ${FRONTDESK_SCENARIO_FILE} ${PROJECT_SOURCE_DIR}/sandbox/scenarios/ivr-menu.json)
# The phone menu demo's flow (frontdesk --sandbox --ivr).
qt_add_resources(frontdesk_app "frontdesk_ivr"
    PREFIX "/frontdesk/ivr"
    BASE ${PROJECT_SOURCE_DIR}/relay/ivr
    FILES ${PROJECT_SOURCE_DIR}/relay/ivr/frontdesk-example.json)
target_compile_definitions(frontdesk_app PRIVATE
    FRONTDESK_SCENARIO_SOURCE_PATH="${FRONTDESK_SCENARIO_FILE}")

qt_add_executable(frontdesk WIN32 MACOSX_BUNDLE main.cpp)
target_link_libraries(frontdesk PRIVATE frontdesk_app frontdesk_ui Qt6::Widgets)
target_compile_definitions(frontdesk PRIVATE FRONTDESK_VERSION="${PROJECT_VERSION}")
frontdesk_set_warnings(frontdesk)

# frontdesk_ru.qm is built from the .ts next to the frontdesk binary, and installed into
# share/frontdesk/translations; translations.cpp looks in both places. `cmake --build <dir>
# --target update_translations` runs lupdate over every tr() in models/, ui/ and app/.
include(${PROJECT_SOURCE_DIR}/models/sources.cmake)
include(${PROJECT_SOURCE_DIR}/ui/sources.cmake)
qt_add_translations(frontdesk
    TS_FILES ${PROJECT_SOURCE_DIR}/translations/frontdesk_ru.ts
    SOURCES ${FRONTDESK_MODELS_SOURCES} ${FRONTDESK_UI_SOURCES} ${FRONTDESK_APP_SOURCES}
        ${CMAKE_CURRENT_SOURCE_DIR}/main.cpp
    LUPDATE_OPTIONS -no-obsolete -locations none
    QM_FILES_OUTPUT_VARIABLE FRONTDESK_QM_FILES)

install(TARGETS frontdesk BUNDLE DESTINATION . RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    COMPONENT frontdesk)
install(FILES ${FRONTDESK_QM_FILES} DESTINATION ${FRONTDESK_TRANSLATIONS_INSTALL_DIR}
    COMPONENT frontdesk)
