import QtQuick
import QtQuick.Controls

// A room's audio level: the RMS as a bar and the peak as a tick, on a
// -60..0 dBFS scale (anything quieter reads as silence).
Rectangle {
    id: meter

    property real rms_dBFS: -120
    property real peak_dBFS: -120
    readonly property real floor_dBFS: -60

    function fraction(dBFS) {
        return Math.max(0, Math.min(1, (dBFS - floor_dBFS) / -floor_dBFS))
    }

    implicitWidth: 120
    implicitHeight: 10
    radius: 2
    color: palette.base
    border.color: palette.mid
    Accessible.role: Accessible.Indicator
    Accessible.name: qsTr("Level %1 dBFS").arg(Math.round(rms_dBFS))

    Rectangle {
        x: 1
        y: 1
        height: parent.height - 2
        width: (parent.width - 2) * meter.fraction(meter.rms_dBFS)
        radius: 1
        color: meter.rms_dBFS > -6 ? "#c62828" : meter.rms_dBFS > -18 ? "#e0a000" : "#2e9d4a"
    }
    Rectangle {
        visible: meter.peak_dBFS > meter.floor_dBFS
        x: 1 + (parent.width - 4) * meter.fraction(meter.peak_dBFS)
        y: 0
        width: 2
        height: parent.height
        color: palette.windowText
    }
}
