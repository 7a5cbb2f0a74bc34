import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Shapes
import Roomscribe.Usage

// Where LiveKit's concurrent egress budget goes: how much is used, by whom,
// who waits for it, and the last hour.
Item {
    id: root

    // A ConsoleBackend (Roomscribe.Console), or any object with a writable egressLimit.
    required property QtObject backend
    // The figures; tests may give an object with EgressUsageModel's properties.
    property QtObject usage: EgressUsageModel {
        backend: root.backend
    }

    readonly property real fraction: usage.limit > 0 ? Math.min(1, usage.used / usage.limit) : 0
    readonly property color levelColor: usage.full || (usage.limit > 0 && usage.used >= usage.limit)
                                        ? "#c62828"
                                        : fraction >= 0.8 ? "#d08400" : "#2e7d32"

    implicitWidth: 1000
    implicitHeight: 700

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 12

        Rectangle {
            objectName: "fullBanner"
            Layout.fillWidth: true
            visible: root.usage.full
            implicitHeight: bannerColumn.implicitHeight + 16
            radius: 4
            color: "#fdecea"
            border.color: "#c62828"

            ColumnLayout {
                id: bannerColumn
                anchors.fill: parent
                anchors.margins: 8
                spacing: 2
                Label {
                    objectName: "fullSinceText"
                    Layout.fillWidth: true
                    text: root.usage.fullSinceText
                    color: "#8e1b1b"
                    font.bold: true
                    wrapMode: Text.WordWrap
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("LiveKit refuses new egresses until one ends. Queued rooms start as soon as the budget frees up.")
                    color: "#5f1212"
                    wrapMode: Text.WordWrap
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 24

            Item {
                id: gauge
                objectName: "gauge"
                Layout.preferredWidth: 200
                Layout.preferredHeight: 180

                readonly property real lineWidth: 16
                readonly property real radius: Math.min(width, height * 1.15) / 2 - lineWidth

                Shape {
                    anchors.fill: parent
                    layer.enabled: true
                    layer.samples: 4
                    ShapePath {
                        fillColor: "transparent"
                        strokeColor: palette.mid
                        strokeWidth: gauge.lineWidth
                        capStyle: ShapePath.RoundCap
                        PathAngleArc {
                            centerX: gauge.width / 2
                            centerY: gauge.height * 0.55
                            radiusX: gauge.radius
                            radiusY: gauge.radius
                            startAngle: 135
                            sweepAngle: 270
                        }
                    }
                    ShapePath {
                        fillColor: "transparent"
                        strokeColor: root.levelColor
                        strokeWidth: root.fraction > 0 ? gauge.lineWidth : 0
                        capStyle: ShapePath.RoundCap
                        PathAngleArc {
                            centerX: gauge.width / 2
                            centerY: gauge.height * 0.55
                            radiusX: gauge.radius
                            radiusY: gauge.radius
                            startAngle: 135
                            sweepAngle: Math.max(0.5, 270 * root.fraction)
                        }
                    }
                }
                ColumnLayout {
                    x: (gauge.width - width) / 2
                    y: gauge.height * 0.55 - height / 2
                    width: gauge.radius * 1.6
                    spacing: 0
                    Label {
                        Layout.fillWidth: true
                        horizontalAlignment: Text.AlignHCenter
                        text: root.usage.used
                        font.pixelSize: 34
                        font.bold: true
                        color: root.levelColor
                    }
                    Label {
                        objectName: "gaugeText"
                        Layout.fillWidth: true
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.WordWrap
                        text: qsTr("%1 of %n egresses", "", root.usage.limit).arg(root.usage.used)
                    }
                    Label {
                        Layout.fillWidth: true
                        horizontalAlignment: Text.AlignHCenter
                        visible: root.usage.inFlight > 0
                        text: qsTr("%n starting", "", root.usage.inFlight)
                        color: palette.placeholderText
                    }
                }
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                spacing: 8

                Label {
                    text: qsTr("Concurrent egress limit")
                    font.bold: true
                }
                SpinBox {
                    id: limitBox
                    objectName: "limitBox"
                    from: 0
                    to: 1000
                    editable: true
                    value: root.backend ? root.backend.egressLimit : 0
                    enabled: root.backend !== null
                    onValueModified: {
                        root.backend.egressLimit = value
                        // An edit replaced the binding; follow the backend again.
                        value = Qt.binding(() => root.backend ? root.backend.egressLimit : 0)
                    }
                    Accessible.name: qsTr("Concurrent egress limit")
                }
                Label {
                    Layout.fillWidth: true
                    Layout.maximumWidth: 560
                    text: qsTr("Set this to the concurrent egress limit of your LiveKit plan. Rooms beyond it wait in the queue below instead of being refused.")
                    wrapMode: Text.WordWrap
                    color: palette.placeholderText
                }
                Label {
                    objectName: "breakdownTotals"
                    Layout.fillWidth: true
                    Layout.topMargin: 4
                    wrapMode: Text.WordWrap
                    text: qsTr("Room mix (composite): %1    Per speaker (track): %2")
                          .arg(root.usage.compositeCount).arg(root.usage.trackCount)
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 140
            spacing: 12

            GroupBox {
                title: qsTr("In use by room")
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 3

                ListView {
                    id: breakdownList
                    objectName: "breakdownList"
                    anchors.fill: parent
                    clip: true
                    reuseItems: true
                    model: root.usage
                    ScrollBar.vertical: ScrollBar {}
                    delegate: RowLayout {
                        required property string room
                        required property string methodText
                        required property int egresses
                        width: ListView.view.width
                        height: 28
                        spacing: 12
                        Label {
                            Layout.fillWidth: true
                            text: parent.room
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.preferredWidth: 170
                            text: parent.methodText
                            color: palette.placeholderText
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.minimumWidth: 90
                            horizontalAlignment: Text.AlignRight
                            text: qsTr("%n egress(es)", "", parent.egresses)
                        }
                    }
                    Label {
                        anchors.centerIn: parent
                        width: parent.width - 24
                        visible: breakdownList.count === 0
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.WordWrap
                        text: qsTr("No room holds an egress now.")
                        color: palette.placeholderText
                    }
                }
            }

            GroupBox {
                title: qsTr("Waiting for the budget")
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 2

                ListView {
                    id: queueList
                    objectName: "queueList"
                    anchors.fill: parent
                    clip: true
                    model: root.usage.queue
                    ScrollBar.vertical: ScrollBar {}
                    delegate: Label {
                        required property int index
                        required property string modelData
                        width: ListView.view.width
                        height: 28
                        verticalAlignment: Text.AlignVCenter
                        text: qsTr("%1. %2").arg(index + 1).arg(modelData)
                        elide: Text.ElideRight
                    }
                    Label {
                        objectName: "queueEmpty"
                        anchors.centerIn: parent
                        width: parent.width - 24
                        visible: root.usage.queueLength === 0
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.WordWrap
                        text: qsTr("No room is waiting: every room that wants an egress has one.")
                        color: palette.placeholderText
                    }
                }
            }
        }

        GroupBox {
            title: qsTr("Egresses in use, last hour")
            Layout.fillWidth: true
            Layout.preferredHeight: 190

            Canvas {
                id: plot
                objectName: "historyPlot"
                anchors.fill: parent

                property var samples: []
                readonly property int span_ms: 3600 * 1000
                readonly property color lineColor: "#1565c0"
                readonly property color limitColor: "#c62828"
                readonly property color textColor: palette.windowText
                readonly property color gridColor: palette.mid

                function reload() {
                    samples = root.usage.history ? root.usage.history() : []
                    requestPaint()
                }

                Component.onCompleted: reload()
                Connections {
                    target: root.usage
                    ignoreUnknownSignals: true
                    function onHistoryChanged() { plot.reload() }
                }
                onWidthChanged: requestPaint()
                onHeightChanged: requestPaint()

                onPaint: {
                    const ctx = getContext("2d")
                    ctx.reset()
                    const left = 36, right = 8, top = 8, bottom = 20
                    const w = width - left - right, h = height - top - bottom
                    if (w <= 0 || h <= 0)
                        return
                    const end = Math.max(Date.now(), samples.length > 0 ? samples[samples.length - 1].t : 0)
                    const start = end - span_ms
                    let highest = 1
                    for (const s of samples)
                        highest = Math.max(highest, s.used, s.limit)
                    // Whole-number gridlines with room above the highest value.
                    const step = Math.ceil(highest / 4)
                    const top_value = step * (Math.floor(highest / step) + 1)
                    const xOf = t => left + (t - start) / span_ms * w
                    const yOf = v => top + h - v / top_value * h

                    ctx.font = "11px sans-serif"
                    ctx.fillStyle = textColor
                    ctx.strokeStyle = gridColor
                    ctx.lineWidth = 1
                    ctx.textBaseline = "middle"
                    ctx.textAlign = "right"
                    for (let v = 0; v <= top_value; v += step) {
                        ctx.beginPath()
                        ctx.moveTo(left, Math.round(yOf(v)) + 0.5)
                        ctx.lineTo(left + w, Math.round(yOf(v)) + 0.5)
                        ctx.stroke()
                        ctx.fillText(v, left - 6, yOf(v))
                    }
                    ctx.textBaseline = "top"
                    for (let i = 0; i <= 4; ++i) {
                        const t = start + i * span_ms / 4
                        ctx.textAlign = i === 0 ? "left" : i === 4 ? "right" : "center"
                        ctx.fillText(Qt.formatTime(new Date(t), "hh:mm"), xOf(t), top + h + 4)
                    }
                    if (samples.length === 0)
                        return

                    function line(key, color, width, dashed) {
                        ctx.strokeStyle = color
                        ctx.lineWidth = width
                        ctx.setLineDash(dashed ? [5, 4] : [])
                        ctx.beginPath()
                        samples.forEach((s, i) => {
                            // Steps: usage holds until the next sample.
                            if (i === 0)
                                ctx.moveTo(xOf(s.t), yOf(s[key]))
                            else {
                                ctx.lineTo(xOf(s.t), yOf(samples[i - 1][key]))
                                ctx.lineTo(xOf(s.t), yOf(s[key]))
                            }
                        })
                        // The last value holds until now, the right edge.
                        ctx.lineTo(xOf(end), yOf(samples[samples.length - 1][key]))
                        ctx.stroke()
                    }
                    line("limit", limitColor, 1.5, true)
                    line("used", lineColor, 2, false)
                    ctx.setLineDash([])
                }
            }
            Row {
                anchors.right: parent.right
                anchors.bottom: parent.top
                anchors.bottomMargin: 4
                spacing: 6
                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 18
                    height: 2
                    color: plot.lineColor
                }
                Label {
                    text: qsTr("in use")
                }
                Item {
                    width: 8
                    height: 1
                }
                Row {
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: 2
                    Repeater {
                        model: 3
                        Rectangle {
                            width: 5
                            height: 2
                            color: plot.limitColor
                        }
                    }
                }
                Label {
                    text: qsTr("limit")
                }
            }
        }
    }
}
