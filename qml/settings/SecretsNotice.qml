import QtQuick
import Roomscribe.Settings
import QtQuick.Controls
import QtQuick.Layouts

// Shown when the session has no secret service: keys cannot be kept, and where to put them instead.
Frame {
    id: root
    required property SettingsController settings
    visible: !settings.secretsAvailable
    background: Rectangle {
        color: "#fff4e5"
        border.color: "#e0a040"
        radius: 4
    }
    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 4
        Label {
            Layout.fillWidth: true
            text: qsTr("Keys cannot be stored")
            font.bold: true
            color: "#5a3200"
        }
        Label {
            Layout.fillWidth: true
            text: root.settings.secretsHelp
            wrapMode: Text.Wrap
            color: "#3a2400"
        }
    }
}
