import QtQuick
import Roomscribe.Settings
import QtQuick.Controls
import QtQuick.Layouts

// A password field with a toggle to show what was typed.
RowLayout {
    id: root
    property alias text: field.text
    property alias placeholderText: field.placeholderText
    property alias field: field
    signal textEdited()
    spacing: 8

    TextField {
        id: field
        Layout.fillWidth: true
        echoMode: show.checked ? TextInput.Normal : TextInput.Password
        inputMethodHints: Qt.ImhHiddenText | Qt.ImhNoPredictiveText
        onTextEdited: root.textEdited()
    }
    CheckBox {
        id: show
        text: qsTr("Show")
    }
}
