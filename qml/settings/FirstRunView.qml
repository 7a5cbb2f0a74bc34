import QtQuick
import Roomscribe.Settings
import QtQuick.Controls
import QtQuick.Layouts

// Shown when nothing is configured: what Roomscribe needs, the few fields
// for it, and a way to start with RTMP only.
Page {
    id: root
    required property QtObject backend // Roomscribe.Console ConsoleBackend; may be null
    property SettingsController settings: SettingsController {}
    // True when the operator chose to receive RTMP streams only.
    property bool rtmpOnly: false
    signal finished()

    // Reads the stored settings when shown, unless the console already gave them (apply()).
    property bool autoLoad: true
    Component.onCompleted: if (autoLoad && !settings.loaded) settings.load()

    Connections {
        target: root.settings
        function onSaveFinished(ok) {
            if (ok)
                root.finished()
        }
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            x: Math.max(12, (scroll.availableWidth - width) / 2)
            width: Math.min(720, scroll.availableWidth - 24)
            spacing: 12

            Item { Layout.preferredHeight: 12 }
            Label {
                Layout.fillWidth: true
                text: qsTr("Welcome to Roomscribe")
                font.pointSize: Qt.application.font.pointSize * 1.6
                font.bold: true
                wrapMode: Text.Wrap
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("Roomscribe transcribes LiveKit rooms as people speak. It needs two things:")
            }
            Label {
                Layout.fillWidth: true
                Layout.leftMargin: 12
                wrapMode: Text.Wrap
                text: qsTr("• your LiveKit server's URL with an API key and secret, to see the rooms and take their audio;")
            }
            Label {
                Layout.fillWidth: true
                Layout.leftMargin: 12
                wrapMode: Text.Wrap
                text: qsTr("• a Gladia API key, to turn the speech into text.")
            }

            SecretsNotice {
                objectName: "secretsNotice"
                Layout.fillWidth: true
                settings: root.settings
            }

            GroupBox {
                Layout.fillWidth: true
                title: qsTr("LiveKit")
                LiveKitFields {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    settings: root.settings
                }
            }
            GroupBox {
                Layout.fillWidth: true
                title: qsTr("Gladia")
                GladiaFields {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    settings: root.settings
                }
            }

            ResultLabel {
                objectName: "saveError"
                Layout.fillWidth: true
                text: root.settings.secretsAvailable ? root.settings.errorText : ""
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                Button {
                    objectName: "saveAndStart"
                    highlighted: true
                    text: root.settings.secretsAvailable ? qsTr("Save and start")
                                                         : qsTr("Start without storing keys")
                    enabled: !root.settings.busy && root.settings.loaded
                             && (root.settings.gladiaApiKey.length > 0
                                 || (root.settings.liveKitUrl.length > 0
                                     && root.settings.liveKitApiKey.length > 0
                                     && root.settings.liveKitApiSecret.length > 0))
                    onClicked: {
                        if (root.settings.secretsAvailable)
                            root.settings.save()
                        else
                            root.finished()
                    }
                }
                BusyIndicator {
                    running: root.settings.busy
                    visible: running
                    Layout.preferredHeight: 32
                    Layout.preferredWidth: 32
                }
                Item { Layout.fillWidth: true }
                Button {
                    objectName: "skip"
                    flat: true
                    text: qsTr("Skip: only receive RTMP streams")
                    onClicked: {
                        root.rtmpOnly = true
                        root.finished()
                    }
                }
            }
            Item { Layout.preferredHeight: 12 }
        }
    }
}
