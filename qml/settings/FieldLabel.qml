import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A field's name in the first column: one width in every section, so the fields line up.
Label {
    Layout.preferredWidth: 170
    Layout.alignment: Qt.AlignVCenter
    wrapMode: Text.Wrap
}
