import QtQuick

// Shows every view of the console once, then closes the window, so that each
// QML module the views import is loaded (run with --gui-script by
// deb_install_test.sh). Prints "VIEW <name>" per view.
Item {
    id: visit

    required property var window
    required property var backend
    required property var ui

    readonly property var views: ["rooms", "usage", "transcripts", "latency", "export",
                                  "streams", "settings"]
    property int shown: 0

    // One view per event-loop turn, so that each is instantiated and drawn.
    Timer {
        interval: 100
        repeat: true
        running: true
        onTriggered: {
            if (visit.shown === visit.views.length) {
                running = false
                visit.window.close()
                return
            }
            const view = visit.views[visit.shown++]
            visit.window.showPage(view)
            console.log("VIEW " + view)
        }
    }
}
