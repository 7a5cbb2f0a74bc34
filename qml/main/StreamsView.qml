import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Roomscribe.Main

// The RTMP ingest's streams: keys to publish to, and each stream's level.
Item {
    id: view

    required property QtObject backend

    StreamListModel {
        id: streams
        backend: view.backend
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: qsTr("%n publishing", "", streams.publishingCount)
                font.bold: true
            }
            Item { Layout.fillWidth: true }
            Label {
                text: streams.latencyText
                color: palette.placeholderText
            }
        }
        Label {
            visible: urlList.count > 0
            text: qsTr("Publish room audio (AAC in FLV over RTMP) to:")
        }
        Repeater {
            id: urlList
            model: view.backend ? view.backend.publishUrls : []
            delegate: RowLayout {
                required property string modelData
                Layout.fillWidth: true
                TextField {
                    Layout.fillWidth: true
                    readOnly: true
                    selectByMouse: true
                    text: parent.modelData
                }
                Button {
                    text: qsTr("Copy")
                    onClicked: {
                        const field = parent.children[0]
                        field.selectAll()
                        field.copy()
                        field.deselect()
                    }
                }
            }
        }

        Label {
            visible: streamList.count === 0
            text: qsTr("No stream has been published yet.")
            color: palette.placeholderText
        }

        ListView {
            id: streamList
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 4
            model: streams
            delegate: Frame {
                id: row
                required property string key
                required property bool publishing
                required property string format
                required property real rms
                required property real peak
                required property real audioSeconds
                required property string error
                width: ListView.view.width

                RowLayout {
                    anchors.fill: parent
                    spacing: 12
                    Rectangle {
                        width: 10
                        height: 10
                        radius: 5
                        color: row.publishing ? "#2e9d4f" : "#9a9a9a"
                    }
                    Label {
                        Layout.preferredWidth: 220
                        elide: Text.ElideMiddle
                        text: row.key
                        font.family: "monospace"
                    }
                    Label {
                        Layout.preferredWidth: 170
                        text: row.publishing ? row.format : qsTr("waiting for publisher")
                    }
                    // Level meter: -60..0 dBFS, RMS bar with a peak tick.
                    Rectangle {
                        Layout.preferredWidth: 160
                        height: 10
                        color: "#e6e6e6"
                        Rectangle {
                            height: parent.height
                            width: parent.width * Math.max(0, Math.min(1, (row.rms + 60) / 60))
                            color: row.peak > -1 ? "#d9534f" : "#3a87d1"
                        }
                        Rectangle {
                            x: parent.width * Math.max(0, Math.min(1, (row.peak + 60) / 60)) - 1
                            width: 2
                            height: parent.height
                            color: "#333333"
                        }
                    }
                    Label {
                        text: qsTr("%1 s of audio").arg(row.audioSeconds.toFixed(1))
                    }
                    Label {
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                        color: "#c0392b"
                        text: row.error
                    }
                }
            }
        }
    }
}
