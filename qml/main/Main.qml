import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Roomscribe.Main
import Roomscribe.Rooms
import Roomscribe.Usage
import Roomscribe.Transcript
import Roomscribe.Latency
import Roomscribe.Export
import Roomscribe.Settings

ApplicationWindow {
    id: window

    required property QtObject backend
    required property QtObject ui

    // Pages by name, in tab order; scripts and views switch with showPage().
    readonly property var pageNames: ["rooms", "usage", "transcripts", "latency", "export",
                                      "streams", "settings"]
    readonly property string currentPage: pageNames[tabs.currentIndex]
    property bool firstRunDone: ui.configured

    function showPage(name) {
        const index = pageNames.indexOf(name)
        if (index >= 0)
            tabs.currentIndex = index
    }
    function openTranscript(room) {
        showPage("transcripts")
        transcriptsPage.openRoom(room)
    }
    function exportRoom(room) {
        exportView.room = room
        showPage("export")
    }

    width: 1360
    height: 860
    minimumWidth: 960
    minimumHeight: 600
    visible: true
    title: qsTr("Roomscribe")

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            spacing: 16
            Label {
                text: qsTr("Roomscribe")
                font.bold: true
                font.pixelSize: 16
            }
            StatusChip {
                objectName: "liveKitStatus"
                text: window.backend.liveKitEnabled ? qsTr("LiveKit connected")
                                                    : qsTr("No LiveKit server")
                good: window.backend.liveKitEnabled
            }
            StatusChip {
                text: window.backend.transcribing ? qsTr("Transcription on")
                                                  : qsTr("Transcription off: no Gladia key")
                good: window.backend.transcribing
            }
            StatusChip {
                visible: window.backend.liveKitEnabled
                text: qsTr("Egress %1 of %2").arg(window.backend.budgetUsed).arg(window.backend.egressLimit)
                good: window.backend.budgetUsed < window.backend.egressLimit
            }
            Item { Layout.fillWidth: true }
            Label {
                text: qsTr("%n live room(s)", "", window.backend.liveRoomCount)
                color: palette.placeholderText
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // A start-up notice the operator must see (saved settings refused).
        Rectangle {
            Layout.fillWidth: true
            visible: window.ui.notice.length > 0
            implicitHeight: noticeText.implicitHeight + 16
            color: "#fff4e5"
            Label {
                id: noticeText
                anchors.fill: parent
                anchors.margins: 8
                wrapMode: Text.Wrap
                color: "#5c3b00"
                text: window.ui.notice
            }
        }

        TabBar {
            id: tabs
            objectName: "pageTabs"
            Layout.fillWidth: true
            visible: window.firstRunDone
            TabButton { text: qsTr("Rooms") }
            TabButton { text: qsTr("Egress usage") }
            TabButton { text: qsTr("Transcripts") }
            TabButton { text: qsTr("Latency") }
            TabButton { text: qsTr("Export") }
            TabButton { text: qsTr("Streams") }
            TabButton { text: qsTr("Settings") }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: window.firstRunDone
            currentIndex: tabs.currentIndex

            RoomsView {
                objectName: "roomsView"
                backend: window.backend
                onOpenTranscript: room => window.openTranscript(room)
            }
            UsageView {
                objectName: "usageView"
                backend: window.backend
            }
            TranscriptsPage {
                id: transcriptsPage
                objectName: "transcriptsPage"
                backend: window.backend
            }
            LatencyView {
                objectName: "latencyView"
                backend: window.backend
            }
            ExportView {
                id: exportView
                objectName: "exportView"
                backend: window.backend
                database: window.ui.database
            }
            StreamsView {
                objectName: "streamsView"
                backend: window.backend
            }
            SettingsView {
                objectName: "settingsView"
                backend: window.backend
                onRestartRequested: window.ui.restart()
                onLanguageChosen: code => window.ui.setLanguage(code)
            }
        }

        FirstRunView {
            id: firstRun
            objectName: "firstRunView"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !window.firstRunDone
            backend: window.backend
            onFinished: {
                if (rtmpOnly) {
                    window.firstRunDone = true
                    return
                }
                // Saved settings apply from the next start; without a secret
                // service, what was typed goes to it through the environment.
                const typed = settings.secretsAvailable ? {} : {
                    "LIVEKIT_URL": settings.liveKitUrl,
                    "LIVEKIT_API_KEY": settings.liveKitApiKey,
                    "LIVEKIT_API_SECRET": settings.liveKitApiSecret,
                    "GLADIA_API_KEY": settings.gladiaApiKey,
                    "GLADIA_API_URL": settings.gladiaApiUrl
                }
                window.ui.restart(typed)
            }
        }
    }
}
