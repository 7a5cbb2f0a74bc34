import QtQuick
import Roomscribe.Settings
import QtQuick.Controls
import QtQuick.Layouts

// A short explanation under a field.
Label {
    Layout.fillWidth: true
    wrapMode: Text.Wrap
    font.pointSize: Qt.application.font.pointSize * 0.9
    opacity: 0.8
}
