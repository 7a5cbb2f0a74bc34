import QtQuick
import Roomscribe.Settings
import QtQuick.Controls
import QtQuick.Layouts

// Gladia API key, region and languages, and a test that opens (and closes) a live session.
GridLayout {
    id: root
    required property SettingsController settings
    property bool showAdvanced: false
    columns: 2
    columnSpacing: 12
    rowSpacing: 8

    FieldLabel { text: qsTr("API key") }
    SecretField {
        objectName: "gladiaApiKey"
        Layout.fillWidth: true
        text: root.settings.gladiaApiKey
        onTextEdited: root.settings.gladiaApiKey = text
    }
    FieldLabel { text: qsTr("Region") }
    ComboBox {
        id: region
        objectName: "gladiaRegion"
        Layout.fillWidth: true
        textRole: "label"
        valueRole: "code"
        model: [
            { code: "", label: qsTr("Gladia's default") },
            { code: "eu-west", label: qsTr("Europe (eu-west)") },
            { code: "us-west", label: qsTr("United States (us-west)") }
        ]
        currentIndex: Math.max(0, indexOfValue(root.settings.gladiaRegion))
        onActivated: root.settings.gladiaRegion = currentValue
    }
    FieldLabel { text: qsTr("Languages") }
    TextField {
        objectName: "languages"
        Layout.fillWidth: true
        placeholderText: "ru, en"
        text: root.settings.languages.join(", ")
        onTextEdited: root.settings.languages = text.split(/[\s,]+/).filter(code => code.length > 0)
    }
    FieldLabel {
        visible: root.showAdvanced
        text: qsTr("API URL")
    }
    SettingField {
        settings: root.settings
        key: "gladiaApiUrl"
        visible: root.showAdvanced
        placeholderText: "https://api.gladia.io"
    }
    Item { width: 1; height: 1 }
    RowLayout {
        Layout.fillWidth: true
        spacing: 12
        Button {
            objectName: "testGladia"
            text: qsTr("Test connection")
            enabled: !root.settings.busy && root.settings.gladiaApiKey.length > 0
            onClicked: root.settings.testGladia()
        }
        ResultLabel {
            objectName: "gladiaResult"
            Layout.fillWidth: true
            text: root.settings.gladiaTestText
            ok: root.settings.gladiaTestOk
        }
    }
}
