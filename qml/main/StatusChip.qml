import QtQuick
import QtQuick.Controls

// A short state in the header: green when all is well, amber otherwise.
Rectangle {
    id: chip

    property alias text: label.text
    property bool good: true

    implicitWidth: label.implicitWidth + 16
    implicitHeight: label.implicitHeight + 6
    radius: height / 2
    color: good ? "#e3f4e8" : "#fdf0dc"
    border.color: good ? "#8ccf9f" : "#e8b66a"

    Label {
        id: label
        anchors.centerIn: parent
        color: chip.good ? "#1d5e30" : "#6b4300"
        font.pixelSize: 12
    }
}
