import QtQuick
import Roomscribe.Settings
import QtQuick.Controls

// The outcome of a connection test or a save: green when it worked, red when not.
Label {
    property bool ok: false
    visible: text.length > 0
    wrapMode: Text.Wrap
    color: ok ? "#1b6e20" : "#b00020"
    font.bold: !ok
}
