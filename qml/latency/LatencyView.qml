import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Roomscribe.Latency

// Where each room's transcripts spend their time: per stage p50/p95 over the
// last minute, end to end latency over the last minutes, and the Gladia
// reconnects and audio drops that explain its spikes.
Item {
    id: view

    required property QtObject backend
    readonly property LatencyModel model: latency

    // One colour per stage, told apart in light and dark palettes alike.
    readonly property var stageColors: ({
                                            "chunking": "#4e79a7",
                                            "send": "#f28e2b",
                                            "ackRoundTrip": "#76b7b2",
                                            "sttPartial": "#b07aa1",
                                            "sttFinal": "#e15759"
                                        })
    readonly property color reconnectColor: "#e08a00"
    readonly property color dropColor: "#d62728"

    function formatMs(value, samples) {
        return samples > 0 ? qsTr("%1 ms").arg(Math.round(value)) : qsTr("–")
    }

    LatencyModel {
        id: latency
        backend: view.backend
    }

    // Stages a final passes through, one after the other, stacked on a common scale.
    component StackedBar: Item {
        id: bar

        required property var stages
        required property string field // "p50_ms" or "p95_ms"
        required property real scale_ms
        required property real endToEnd_ms

        implicitHeight: 14

        Rectangle {
            anchors.fill: parent
            radius: 2
            color: palette.alternateBase
            border.color: palette.mid
        }
        Row {
            anchors.fill: parent
            anchors.margins: 1
            Repeater {
                model: bar.stages.filter(stage => stage.path)

                Rectangle {
                    id: piece
                    required property var modelData
                    height: parent.height
                    width: bar.scale_ms > 0
                           ? Math.max(0, (bar.width - 2) * modelData[bar.field] / bar.scale_ms) : 0
                    color: view.stageColors[modelData.key]

                    HoverHandler {
                        id: hover
                    }
                    ToolTip.visible: hover.hovered
                    ToolTip.text: qsTr("%1: %2").arg(modelData.name).arg(
                                      view.formatMs(modelData[bar.field], modelData.samples))
                }
            }
        }
        // End to end, for comparison with the sum of the stages.
        Rectangle {
            visible: bar.endToEnd_ms > 0 && bar.scale_ms > 0
            x: Math.min(bar.width - width, (bar.width - 2) * bar.endToEnd_ms / bar.scale_ms)
            y: -3
            width: 2
            height: parent.height + 6
            color: palette.windowText
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8
        visible: latency.count > 0

        // Legend
        Flow {
            Layout.fillWidth: true
            spacing: 12
            Repeater {
                model: [
                    { "key": "chunking", "name": qsTr("Chunking") },
                    { "key": "send", "name": qsTr("Send") },
                    { "key": "sttFinal", "name": qsTr("STT final") },
                    { "key": "ackRoundTrip", "name": qsTr("Ack round trip") },
                    { "key": "sttPartial", "name": qsTr("STT partial") }
                ]
                Row {
                    required property var modelData
                    spacing: 6
                    Rectangle {
                        anchors.verticalCenter: parent.verticalCenter
                        width: 12
                        height: 12
                        radius: 2
                        color: view.stageColors[parent.modelData.key]
                    }
                    Label {
                        text: parent.modelData.name
                    }
                }
            }
            Row {
                spacing: 6
                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 2
                    height: 14
                    color: palette.windowText
                }
                Label {
                    text: qsTr("End to end")
                }
            }
            Row {
                spacing: 6
                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 10
                    height: 10
                    radius: 5
                    color: view.reconnectColor
                }
                Label {
                    text: qsTr("Gladia reconnect")
                }
            }
            Row {
                spacing: 6
                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: 10
                    height: 10
                    radius: 5
                    color: view.dropColor
                }
                Label {
                    text: qsTr("Audio dropped")
                }
            }
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: palette.placeholderText
            text: qsTr("Bars stack the stages a final passes through (last minute); the line marks end to end latency, from the utterance's last audio to its transcript.")
        }

        ListView {
            id: rooms
            objectName: "latencyList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: latency
            reuseItems: true
            spacing: 8
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {
                id: scrollBar
            }

            delegate: Rectangle {
                id: card

                required property string room
                required property int streams
                required property var stages
                required property real e2eP50_ms
                required property real e2eP95_ms
                required property int e2eSamples
                required property int reconnects
                required property real droppedSeconds
                required property var history
                required property var events

                readonly property var sideStages: stages.filter(stage => !stage.path)
                // A common scale for both bars, so p50 and p95 compare by length.
                readonly property real scale_ms: {
                    let sum = 0
                    for (const stage of stages) {
                        if (stage.path)
                            sum += stage.p95_ms
                    }
                    return Math.max(sum, e2eP95_ms, 1)
                }
                function pathSum(field) {
                    let sum = 0
                    for (const stage of stages) {
                        if (stage.path)
                            sum += stage[field]
                    }
                    return sum
                }

                width: ListView.view.width - (scrollBar.visible ? scrollBar.width + 4 : 0)
                implicitHeight: content.implicitHeight + 24
                height: implicitHeight
                radius: 6
                color: palette.base
                border.color: palette.mid

                onHistoryChanged: spark.requestPaint()
                onEventsChanged: spark.requestPaint()

                RowLayout {
                    id: content
                    anchors.fill: parent
                    anchors.margins: 12
                    spacing: 12

                    ColumnLayout {
                        Layout.preferredWidth: 220
                        Layout.maximumWidth: 220
                        Layout.alignment: Qt.AlignTop
                        spacing: 4
                        Label {
                            Layout.fillWidth: true
                            text: card.room
                            font.bold: true
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.fillWidth: true
                            text: card.e2eSamples > 0
                                  ? qsTr("End to end p50 %1").arg(view.formatMs(card.e2eP50_ms, 1))
                                  : qsTr("End to end: no finals yet")
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.fillWidth: true
                            visible: card.e2eSamples > 0
                            text: qsTr("End to end p95 %1").arg(view.formatMs(card.e2eP95_ms, 1))
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.fillWidth: true
                            color: card.reconnects > 0 || card.droppedSeconds > 0
                                   ? palette.windowText : palette.placeholderText
                            text: qsTr("%n reconnect(s), %1 s dropped", "", card.reconnects)
                                  .arg(card.droppedSeconds.toLocaleString(Qt.locale(), "f", 1))
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.fillWidth: true
                            color: palette.placeholderText
                            text: qsTr("%n stream(s)", "", card.streams)
                        }
                    }

                    GridLayout {
                        Layout.fillWidth: true
                        Layout.alignment: Qt.AlignTop
                        columns: 3
                        columnSpacing: 8
                        rowSpacing: 6

                        Label {
                            text: qsTr("p50")
                        }
                        StackedBar {
                            objectName: "p50Bar"
                            Layout.fillWidth: true
                            stages: card.stages
                            field: "p50_ms"
                            scale_ms: card.scale_ms
                            endToEnd_ms: card.e2eSamples > 0 ? card.e2eP50_ms : 0
                        }
                        Label {
                            Layout.preferredWidth: 64
                            horizontalAlignment: Text.AlignRight
                            text: qsTr("%1 ms").arg(Math.round(card.pathSum("p50_ms")))
                        }
                        Label {
                            text: qsTr("p95")
                        }
                        StackedBar {
                            objectName: "p95Bar"
                            Layout.fillWidth: true
                            stages: card.stages
                            field: "p95_ms"
                            scale_ms: card.scale_ms
                            endToEnd_ms: card.e2eSamples > 0 ? card.e2eP95_ms : 0
                        }
                        Label {
                            Layout.preferredWidth: 64
                            horizontalAlignment: Text.AlignRight
                            text: qsTr("%1 ms").arg(Math.round(card.pathSum("p95_ms")))
                        }
                        // Every stage as text, p50 / p95; wraps between stages, not inside one.
                        Flow {
                            Layout.columnSpan: 3
                            Layout.fillWidth: true
                            spacing: 16
                            Repeater {
                                model: card.stages
                                Label {
                                    required property var modelData
                                    color: palette.placeholderText
                                    text: qsTr("%1 %2 / %3").arg(modelData.name)
                                          .arg(view.formatMs(modelData.p50_ms, modelData.samples))
                                          .arg(view.formatMs(modelData.p95_ms, modelData.samples))
                                }
                            }
                        }
                    }

                    ColumnLayout {
                        Layout.preferredWidth: 240
                        Layout.alignment: Qt.AlignTop
                        spacing: 2
                        Label {
                            color: palette.placeholderText
                            text: qsTr("End to end, last 15 min")
                        }
                        Canvas {
                            id: spark
                            objectName: "sparkline"
                            Layout.preferredWidth: 240
                            Layout.preferredHeight: 48
                            // Shifts left as time passes.
                            property real now_ms: latency.now_ms
                            onNow_msChanged: requestPaint()

                            onPaint: {
                                const ctx = getContext("2d")
                                ctx.reset()
                                ctx.fillStyle = palette.alternateBase
                                ctx.fillRect(0, 0, width, height)
                                const span = 15 * 60 * 1000
                                const left = now_ms - span
                                const xOf = t => (t - left) / span * width
                                let top = 1
                                for (const point of card.history)
                                    top = Math.max(top, point.e2e_ms)
                                const yOf = v => height - 3 - (height - 6) * v / top
                                for (const event of card.events) {
                                    ctx.fillStyle = event.kind === "drop" ? view.dropColor
                                                                          : view.reconnectColor
                                    ctx.fillRect(Math.round(xOf(event.t)) - 1, 0, 2, height)
                                }
                                ctx.strokeStyle = palette.highlight
                                ctx.lineWidth = 1.5
                                ctx.beginPath()
                                let previous = -Infinity
                                for (const point of card.history) {
                                    // A gap of more than one slot: no finals then, no line.
                                    if (point.t - previous > 15000)
                                        ctx.moveTo(xOf(point.t), yOf(point.e2e_ms))
                                    else
                                        ctx.lineTo(xOf(point.t), yOf(point.e2e_ms))
                                    previous = point.t
                                }
                                ctx.stroke()
                            }

                            HoverHandler {
                                id: sparkHover
                            }
                            ToolTip.visible: sparkHover.hovered && card.events.length > 0
                            ToolTip.text: card.events.slice(-5).map(
                                              event => qsTr("%1 %2").arg(
                                                  new Date(event.t).toLocaleTimeString(Qt.locale(), "HH:mm:ss"))
                                              .arg(event.text)).join("\n")
                        }
                        Label {
                            color: palette.placeholderText
                            text: card.history.length > 0
                                  ? qsTr("Peak p50 %1").arg(view.formatMs(
                                                              Math.max(...card.history.map(p => p.e2e_ms)), 1))
                                  : qsTr("No history yet")
                        }
                    }
                }
            }
        }
    }

    ColumnLayout {
        objectName: "emptyState"
        anchors.centerIn: parent
        width: Math.min(parent.width - 24, 480)
        visible: latency.count === 0
        spacing: 8
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            font.pixelSize: Math.round(hint.font.pixelSize * 1.15)
            text: qsTr("No room is streaming audio.")
        }
        Label {
            id: hint
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: palette.placeholderText
            text: qsTr("Start a room from the Rooms view: its latencies appear here once its audio reaches the engine.")
        }
    }
}
