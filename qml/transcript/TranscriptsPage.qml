import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The transcripts of several rooms at once, a closable tab each.
Item {
    id: page

    required property QtObject backend
    readonly property int count: openRooms.count
    readonly property string currentRoom: tabs.currentIndex >= 0 && tabs.currentIndex < openRooms.count
                                          ? openRooms.get(tabs.currentIndex).name : ""

    // Shows room's transcript: its tab if open, else a new one.
    function openRoom(room) {
        if (room === "")
            return
        for (let i = 0; i < openRooms.count; ++i) {
            if (openRooms.get(i).name === room) {
                tabs.currentIndex = i
                return
            }
        }
        openRooms.append({ "name": room })
        tabs.currentIndex = openRooms.count - 1
    }

    function closeRoom(index) {
        openRooms.remove(index)
    }

    ListModel {
        id: openRooms
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        visible: openRooms.count > 0

        TabBar {
            id: tabs
            objectName: "roomTabs"
            Layout.fillWidth: true

            Repeater {
                model: openRooms

                TabButton {
                    id: tab
                    required property string name
                    required property int index

                    text: name
                    width: implicitWidth
                    contentItem: RowLayout {
                        spacing: 6
                        Label {
                            Layout.maximumWidth: 240
                            text: tab.name
                            elide: Text.ElideRight
                            font.bold: tab.checked
                            color: palette.windowText
                        }
                        ToolButton {
                            objectName: "closeTabButton"
                            implicitWidth: 24
                            implicitHeight: 24
                            padding: 0
                            text: "✕"
                            onClicked: page.closeRoom(tab.index)
                            ToolTip.visible: hovered
                            ToolTip.delay: 500
                            ToolTip.text: qsTr("Close the transcript of %1").arg(tab.name)
                        }
                    }
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            Repeater {
                model: openRooms

                TranscriptView {
                    required property string name
                    backend: page.backend
                    room: name
                }
            }
        }
    }

    ColumnLayout {
        objectName: "emptyState"
        anchors.centerIn: parent
        width: Math.min(parent.width - 24, 480)
        visible: openRooms.count === 0
        spacing: 8
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            font.pixelSize: Math.round(hint.font.pixelSize * 1.15)
            text: qsTr("No transcript is open.")
        }
        Label {
            id: hint
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: palette.placeholderText
            text: qsTr("Open a room from the Rooms view to follow its transcript here.")
        }
    }
}
