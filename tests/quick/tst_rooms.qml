import QtQuick
import QtTest
import Roomscribe.Rooms

// RoomsView with a stub backend: empty states, rows, and Start/Stop calling
// the backend with the room and the chosen method.
Item {
    id: top
    width: 1200
    height: 600

    QtObject {
        id: stub
        property bool liveKitEnabled: true
        property var methods: ["auto", "composite", "track"]
        property int languageRevision: 0
        property var started: []
        property var stopped: []
        function startRoom(room, method) { started.push([room, method]) }
        function stopRoom(room) { stopped.push(room) }
    }

    QtObject {
        id: noLiveKit
        property bool liveKitEnabled: false
        property var methods: ["auto", "composite", "track"]
        property int languageRevision: 0
    }

    ListModel {
        id: rows
        ListElement {
            name: "standup"; inLiveKit: true; participants: 3; publishers: 2; age_s: 720
            ageText: "12 min"; phase: 0; stateText: "Idle"; stateKind: "idle"; method: ""
            methodText: ""; detail: ""; egresses: 0; queuePosition: 0; rms_dBFS: -30
            peak_dBFS: -12; publishingStreams: 2; canStart: true; canStop: false
        }
        ListElement {
            name: "board-meeting"; inLiveKit: true; participants: 5; publishers: 4; age_s: 60
            ageText: "1 min"; phase: 5; stateText: "Live"; stateKind: "live"; method: "composite"
            methodText: "Room mix (composite)"; detail: ""; egresses: 1; queuePosition: 0
            rms_dBFS: -20; peak_dBFS: -3; publishingStreams: 4; canStart: false; canStop: true
        }
    }

    ListModel {
        id: noRows
    }

    Component {
        id: viewComponent
        RoomsView {
            anchors.fill: parent
        }
    }

    SignalSpy {
        id: transcriptSpy
        signalName: "openTranscript"
    }

    TestCase {
        name: "RoomsView"
        when: windowShown

        function makeView(backend, model) {
            const view = model ? createTemporaryObject(viewComponent, top, { backend: backend, rooms: model })
                               : createTemporaryObject(viewComponent, top, { backend: backend })
            verify(view)
            return view
        }

        function rowOf(view, name) {
            const list = findChild(view, "roomList")
            list.forceLayout()
            for (let i = 0; i < list.count; ++i) {
                const item = list.itemAtIndex(i)
                if (item && item.name === name)
                    return item
            }
            return null
        }

        function test_noLiveKit() {
            const view = makeView(noLiveKit)
            compare(findChild(view, "emptyText").text,
                    "No LiveKit server is configured. Open Settings to connect one.")
        }

        function test_noBackend() {
            const view = makeView(null)
            verify(findChild(view, "emptyText").visible)
        }

        function test_noRooms() {
            const view = makeView(stub)  // the real model: no ConsoleBackend, no rows
            compare(view.rooms.count, 0)
            compare(findChild(view, "emptyText").text,
                    "LiveKit reports no rooms yet. Rooms appear here as soon as someone joins.")
        }

        function test_rowsAndFilter() {
            const view = makeView(stub, rows)
            const list = findChild(view, "roomList")
            compare(list.count, 2)
            list.forceLayout()
            verify(!findChild(view, "emptyText").visible)
            // Sorted by name.
            compare(list.itemAtIndex(0).name, "board-meeting")
            const live = rowOf(view, "board-meeting")
            compare(findChild(live, "stateChip").children[0].text, "Live")

            findChild(view, "roomFilter").text = "STAND"
            compare(list.count, 1)
            list.forceLayout()
            compare(list.itemAtIndex(0).name, "standup")
            findChild(view, "roomFilter").text = "nothing"
            compare(list.count, 0)
            const empty = findChild(view, "emptyText")
            verify(empty.visible)
            verify(empty.text.indexOf("nothing") >= 0)
        }

        function test_startWithChosenMethod() {
            stub.started = []
            const view = makeView(stub, rows)
            const row = rowOf(view, "standup")
            verify(row)
            const methods = findChild(row, "methodBox")
            compare(methods.count, 3)
            compare(methods.displayText, "Auto")
            methods.currentIndex = 2
            compare(methods.displayText, "Per speaker (track)")
            const start = findChild(row, "startButton")
            verify(start.enabled)
            verify(!findChild(row, "stopButton").enabled)
            mouseClick(start)
            compare(stub.started.length, 1)
            compare(stub.started[0][0], "standup")
            compare(stub.started[0][1], "track")
        }

        function test_stopAndTranscript() {
            stub.stopped = []
            const view = makeView(stub, rows)
            const row = rowOf(view, "board-meeting")
            verify(!findChild(row, "startButton").enabled)
            mouseClick(findChild(row, "stopButton"))
            compare(stub.stopped, ["board-meeting"])
            transcriptSpy.target = view
            transcriptSpy.clear()
            mouseClick(findChild(row, "transcriptButton"))
            compare(transcriptSpy.count, 1)
            compare(transcriptSpy.signalArguments[0][0], "board-meeting")
        }
    }
}
