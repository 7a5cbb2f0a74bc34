import QtQuick
import Roomscribe.Settings
import QtQuick.Controls
import QtQuick.Layouts

// A text field bound both ways to one text property of a SettingsController.
TextField {
    required property SettingsController settings
    required property string key
    objectName: key
    Layout.fillWidth: true
    text: settings[key]
    onTextEdited: settings[key] = text
}
