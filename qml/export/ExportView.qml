import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Roomscribe.Export

// Past and running room sessions from the transcript store, and an export
// of the chosen one to TXT, SRT, WebVTT or JSON.
Page {
    id: root
    required property QtObject backend // Roomscribe.Console ConsoleBackend; may be null
    property string database: ""       // as --db takes it; empty: the default SQLite file
    property string room: ""           // preselects this room's latest session
    property alias sessions: sessionModel
    property alias exporter: exportController
    property string format: "txt"
    readonly property var chosen: sessionList.currentIndex >= 0
                                  ? sessionModel.get(sessionList.currentIndex) : null

    SessionListModel {
        id: sessionModel
        database: root.database
        onCountChanged: root.preselect()
    }
    ExportController {
        id: exportController
        database: root.database
    }

    function preselect() {
        if (sessionList.currentIndex >= 0 || root.room.length === 0)
            return
        sessionList.currentIndex = sessionModel.latestRowOf(root.room)
    }
    onRoomChanged: {
        sessionList.currentIndex = -1
        preselect()
    }
    Component.onCompleted: sessionModel.refresh()
    // Sessions grow while rooms run: the list is read again each time it shows.
    onVisibleChanged: if (visible) sessionModel.refresh()

    FileDialog {
        id: fileDialog
        objectName: "fileDialog"
        title: qsTr("Export transcript")
        fileMode: FileDialog.SaveFile
        nameFilters: [formatChooser.current.filter]
        onAccepted: exportController.exportSession(root.chosen.sessionId, root.format, selectedFile)
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 12

        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            Label {
                text: qsTr("Room")
            }
            TextField {
                objectName: "roomFilter"
                Layout.fillWidth: true
                Layout.maximumWidth: 360
                placeholderText: qsTr("All rooms")
                text: sessionModel.roomFilter
                onTextEdited: sessionModel.roomFilter = text
            }
            Button {
                objectName: "refresh"
                text: qsTr("Refresh")
                enabled: !sessionModel.busy
                onClicked: sessionModel.refresh()
            }
            BusyIndicator {
                running: sessionModel.busy
                visible: running
                Layout.preferredWidth: 28
                Layout.preferredHeight: 28
            }
            Item { Layout.fillWidth: true }
        }

        Label {
            objectName: "listError"
            Layout.fillWidth: true
            visible: text.length > 0
            text: sessionModel.errorText
            wrapMode: Text.Wrap
            color: "#b00020"
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 12

            Frame {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumWidth: 320
                padding: 1

                ListView {
                    id: sessionList
                    objectName: "sessionList"
                    anchors.fill: parent
                    clip: true
                    reuseItems: true
                    currentIndex: -1
                    model: sessionModel
                    ScrollBar.vertical: ScrollBar {}

                    delegate: ItemDelegate {
                        id: row
                        required property int index
                        required property var sessionId
                        required property string room
                        required property string started
                        required property string ended
                        required property bool live
                        required property string duration
                        required property var segmentCount
                        width: ListView.view.width
                        highlighted: ListView.isCurrentItem
                        onClicked: sessionList.currentIndex = index

                        contentItem: ColumnLayout {
                            spacing: 2
                            RowLayout {
                                Layout.fillWidth: true
                                spacing: 8
                                Label {
                                    Layout.fillWidth: true
                                    text: row.room
                                    font.bold: true
                                    elide: Text.ElideRight
                                    color: row.highlighted ? palette.highlightedText : palette.windowText
                                }
                                Label {
                                    visible: row.live
                                    text: qsTr("live")
                                    color: "white"
                                    font.bold: true
                                    leftPadding: 6
                                    rightPadding: 6
                                    background: Rectangle { color: "#c62828"; radius: 3 }
                                }
                            }
                            Label {
                                Layout.fillWidth: true
                                elide: Text.ElideRight
                                color: row.highlighted ? palette.highlightedText : palette.windowText
                                text: row.live
                                      ? qsTr("%1, running for %2 · %n segments", "", row.segmentCount).arg(row.started).arg(row.duration)
                                      : qsTr("%1 to %2 (%3) · %n segments", "", row.segmentCount).arg(row.started).arg(row.ended).arg(row.duration)
                            }
                        }
                    }

                    Label {
                        objectName: "emptyState"
                        anchors.centerIn: parent
                        width: parent.width - 48
                        visible: sessionModel.loaded && sessionList.count === 0 && sessionModel.errorText.length === 0
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.Wrap
                        text: sessionModel.totalCount === 0
                              ? qsTr("No transcripts yet. A room's session appears here once Roomscribe has transcribed something in it.")
                              : qsTr("No room matches “%1”.").arg(sessionModel.roomFilter)
                    }
                }
            }

            ColumnLayout {
                id: formatChooser
                Layout.preferredWidth: 340
                Layout.maximumWidth: 340
                Layout.alignment: Qt.AlignTop
                spacing: 8
                readonly property var formats: [
                    { code: "txt", name: qsTr("Text (TXT)"), filter: qsTr("Text files (*.txt)"),
                      about: qsTr("Readable paragraphs with times and speakers.") },
                    { code: "srt", name: qsTr("Subtitles (SRT)"), filter: qsTr("SubRip subtitles (*.srt)"),
                      about: qsTr("Subtitles for video players and editors.") },
                    { code: "vtt", name: qsTr("Web subtitles (VTT)"), filter: qsTr("WebVTT subtitles (*.vtt)"),
                      about: qsTr("Subtitles for web video, with speaker names.") },
                    { code: "json", name: qsTr("Data (JSON)"), filter: qsTr("JSON files (*.json)"),
                      about: qsTr("Everything stored, with word timings, for programs.") }
                ]
                readonly property var current: formats.find(f => f.code === root.format)

                Label {
                    text: qsTr("Format")
                    font.bold: true
                }
                ButtonGroup { id: formatGroup }
                Repeater {
                    model: formatChooser.formats
                    delegate: ColumnLayout {
                        required property var modelData
                        Layout.fillWidth: true
                        spacing: 0
                        RadioButton {
                            objectName: "format_" + modelData.code
                            text: modelData.name
                            checked: root.format === modelData.code
                            ButtonGroup.group: formatGroup
                            onToggled: if (checked) root.format = modelData.code
                        }
                        Label {
                            Layout.fillWidth: true
                            Layout.leftMargin: 32
                            wrapMode: Text.Wrap
                            opacity: 0.8
                            text: modelData.about
                        }
                    }
                }

                Label {
                    Layout.fillWidth: true
                    Layout.topMargin: 8
                    wrapMode: Text.Wrap
                    elide: Text.ElideRight
                    maximumLineCount: 2
                    text: root.chosen ? qsTr("Session: %1, %2").arg(root.chosen.room).arg(root.chosen.started)
                                      : qsTr("Choose a session in the list.")
                }

                RowLayout {
                    spacing: 8
                    Button {
                        objectName: "exportButton"
                        text: qsTr("Export…")
                        highlighted: true
                        enabled: root.chosen !== null && !exportController.busy
                        onClicked: {
                            fileDialog.selectedFile = exportController.suggestedFileUrl(root.chosen.fileStem, root.format)
                            fileDialog.open()
                        }
                    }
                    Button {
                        objectName: "cancelButton"
                        text: qsTr("Cancel")
                        visible: exportController.busy
                        onClicked: exportController.cancel()
                    }
                }

                ProgressBar {
                    objectName: "progress"
                    Layout.fillWidth: true
                    visible: exportController.busy || exportController.progress > 0
                    value: exportController.progress
                }

                Label {
                    objectName: "exportError"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    wrapMode: Text.Wrap
                    color: "#b00020"
                    text: exportController.errorText
                }

                ColumnLayout {
                    objectName: "exportResult"
                    Layout.fillWidth: true
                    visible: exportController.resultPath.length > 0 && !exportController.busy
                    spacing: 8
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.WrapAnywhere
                        color: "#1b6e20"
                        text: qsTr("Saved to %1").arg(exportController.resultPath)
                    }
                    Button {
                        objectName: "openFolder"
                        text: qsTr("Open folder")
                        onClicked: Qt.openUrlExternally(exportController.folderUrl)
                    }
                }
            }
        }
    }
}
