import QtQuick
import Roomscribe.Settings
import QtQuick.Controls
import QtQuick.Layouts

// LiveKit server, API key and secret, and a connection test (ListRooms).
GridLayout {
    id: root
    required property SettingsController settings
    columns: 2
    columnSpacing: 12
    rowSpacing: 8

    FieldLabel { text: qsTr("Server URL") }
    SettingField {
        settings: root.settings
        key: "liveKitUrl"
        placeholderText: "wss://example.livekit.cloud"
    }
    FieldLabel { text: qsTr("API key") }
    SettingField {
        settings: root.settings
        key: "liveKitApiKey"
    }
    FieldLabel { text: qsTr("API secret") }
    SecretField {
        objectName: "liveKitApiSecret"
        Layout.fillWidth: true
        text: root.settings.liveKitApiSecret
        onTextEdited: root.settings.liveKitApiSecret = text
    }
    Item { width: 1; height: 1 }
    RowLayout {
        Layout.fillWidth: true
        spacing: 12
        Button {
            objectName: "testLiveKit"
            text: qsTr("Test connection")
            enabled: !root.settings.busy && root.settings.liveKitUrl.length > 0
                     && root.settings.liveKitApiKey.length > 0
                     && root.settings.liveKitApiSecret.length > 0
            onClicked: root.settings.testLiveKit()
        }
        ResultLabel {
            objectName: "liveKitResult"
            Layout.fillWidth: true
            text: root.settings.liveKitTestText
            ok: root.settings.liveKitTestOk
        }
    }
}
