import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Roomscribe.Rooms

// The LiveKit rooms and what the router does with each: state, level,
// method, and Start / Stop / Transcript per room.
Item {
    id: root

    // A ConsoleBackend (Roomscribe.Console), or any object with its
    // liveKitEnabled, methods, startRoom() and stopRoom().
    required property QtObject backend
    // The rows; tests put a ListModel with RoomListModel's role names here.
    property QtObject rooms: RoomListModel {
        backend: root.backend
    }

    signal openTranscript(string room)

    readonly property bool liveKitEnabled: root.backend !== null && root.backend.liveKitEnabled
    // Read again when the interface language changes (languageRevision).
    readonly property var methodChoices: root.backend && root.backend.languageRevision >= 0
                                         ? root.backend.methods.map(
                                               name => ({ value: name, text: MethodNames.textOf(name) }))
                                         : []

    function kindColor(kind) {
        switch (kind) {
        case "live": return "#2e7d32"
        case "starting": return "#1565c0"
        case "queued": return "#8d5a00"
        case "waiting": return "#5d6670"
        case "warning": return "#b35c00"
        case "failed": return "#c62828"
        case "stopping": return "#6a4c93"
        default: return "#70757a"
        }
    }

    implicitWidth: 1100
    implicitHeight: 600

    RoomSortFilterModel {
        id: sorted
        sourceModel: root.rooms
        filterText: filterField.text
        sortKey: sortBox.currentValue ?? "name"
        ascending: directionButton.ascending
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            spacing: 8

            TextField {
                id: filterField
                objectName: "roomFilter"
                Layout.fillWidth: true
                Layout.maximumWidth: 360
                placeholderText: qsTr("Filter rooms by name")
                selectByMouse: true
            }
            Item {
                Layout.fillWidth: true
            }
            Label {
                text: qsTr("Sort by")
            }
            ComboBox {
                id: sortBox
                objectName: "sortKey"
                textRole: "text"
                valueRole: "value"
                implicitContentWidthPolicy: ComboBox.WidestText
                model: [
                    { value: "name", text: qsTr("Name") },
                    { value: "participants", text: qsTr("Participants") },
                    { value: "age", text: qsTr("Age") },
                    { value: "state", text: qsTr("State") }
                ]
            }
            ToolButton {
                id: directionButton
                objectName: "sortDirection"
                property bool ascending: true
                text: ascending ? "\u25B2" : "\u25BC"
                onClicked: ascending = !ascending
                ToolTip.visible: hovered
                ToolTip.text: ascending ? qsTr("Ascending") : qsTr("Descending")
                Accessible.name: ToolTip.text
            }
        }

        Frame {
            Layout.fillWidth: true
            Layout.fillHeight: true
            padding: 0

            ListView {
                id: list
                objectName: "roomList"
                anchors.fill: parent
                clip: true
                reuseItems: true
                model: sorted
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {}

                delegate: ItemDelegate {
                    id: row

                    required property int index
                    required property string name
                    required property int participants
                    required property int publishers
                    required property string ageText
                    required property string stateText
                    required property string stateKind
                    required property string detail
                    required property string method
                    required property string methodText
                    required property real rms_dBFS
                    required property real peak_dBFS
                    required property bool canStart
                    required property bool canStop

                    function resetMethod() {
                        const at = root.methodChoices.findIndex(choice => choice.value === row.method)
                        methodBox.currentIndex = Math.max(0, at)
                    }

                    width: ListView.view.width
                    // Rows are information with buttons, not a selectable list.
                    hoverEnabled: false
                    down: false
                    topPadding: 8
                    bottomPadding: 8
                    leftPadding: 12
                    rightPadding: 12
                    Component.onCompleted: resetMethod()
                    ListView.onReused: resetMethod()

                    background: Rectangle {
                        color: row.index % 2 ? palette.alternateBase : palette.base
                    }

                    contentItem: RowLayout {
                        spacing: 12

                        ColumnLayout {
                            Layout.fillWidth: true
                            Layout.minimumWidth: 160
                            spacing: 2

                            Label {
                                objectName: "roomName"
                                Layout.fillWidth: true
                                text: row.name
                                font.bold: true
                                elide: Text.ElideRight
                            }
                            Label {
                                Layout.fillWidth: true
                                text: [qsTr("%n participant(s)", "", row.participants),
                                       qsTr("%n speaking", "", row.publishers),
                                       row.ageText,
                                       row.methodText].filter(part => part !== "").join("  ·  ")
                                color: palette.placeholderText
                                font.pixelSize: Math.round(Qt.application.font.pixelSize * 0.9)
                                elide: Text.ElideRight
                            }
                        }

                        // A fixed slot, so chips line up from row to row.
                        Item {
                            Layout.preferredWidth: 230
                            Layout.preferredHeight: chip.height

                            Rectangle {
                                id: chip
                                objectName: "stateChip"
                                anchors.right: parent.right
                                width: Math.min(chipLabel.implicitWidth + 20, parent.width)
                                height: chipLabel.implicitHeight + 8
                                radius: height / 2
                                color: root.kindColor(row.stateKind)

                                Label {
                                    id: chipLabel
                                    anchors.fill: parent
                                    anchors.leftMargin: 10
                                    anchors.rightMargin: 10
                                    horizontalAlignment: Text.AlignHCenter
                                    verticalAlignment: Text.AlignVCenter
                                    text: row.stateText
                                    color: "white"
                                    elide: Text.ElideRight
                                }
                                HoverHandler {
                                    id: chipHover
                                }
                                ToolTip.visible: chipHover.hovered && row.detail !== ""
                                ToolTip.text: row.detail
                                ToolTip.delay: 300
                            }
                        }

                        LevelMeter {
                            Layout.preferredWidth: 110
                            rms_dBFS: row.rms_dBFS
                            peak_dBFS: row.peak_dBFS
                        }

                        ComboBox {
                            id: methodBox
                            objectName: "methodBox"
                            textRole: "text"
                            valueRole: "value"
                            implicitContentWidthPolicy: ComboBox.WidestText
                            model: root.methodChoices
                            enabled: row.canStart
                            ToolTip.visible: hovered
                            ToolTip.text: qsTr("How to take this room's audio when it starts")
                            ToolTip.delay: 600
                        }
                        Button {
                            objectName: "startButton"
                            text: qsTr("Start")
                            enabled: row.canStart
                            onClicked: root.backend.startRoom(row.name, methodBox.currentValue ?? "")
                        }
                        Button {
                            objectName: "stopButton"
                            text: qsTr("Stop")
                            enabled: row.canStop
                            onClicked: root.backend.stopRoom(row.name)
                        }
                        Button {
                            objectName: "transcriptButton"
                            text: qsTr("Transcript")
                            onClicked: root.openTranscript(row.name)
                        }
                    }
                }
            }

            Label {
                id: emptyText
                objectName: "emptyText"
                anchors.centerIn: parent
                width: Math.min(parent.width - 48, 520)
                visible: text !== ""
                wrapMode: Text.WordWrap
                horizontalAlignment: Text.AlignHCenter
                color: palette.placeholderText
                text: !root.liveKitEnabled
                      ? qsTr("No LiveKit server is configured. Open Settings to connect one.")
                      : root.rooms.count === 0
                        ? qsTr("LiveKit reports no rooms yet. Rooms appear here as soon as someone joins.")
                        : sorted.count === 0
                          ? qsTr("No room name contains \u201C%1\u201D. Clear the filter to see all %n room(s).", "", root.rooms.count).arg(filterField.text)
                          : ""
            }
        }
    }
}
