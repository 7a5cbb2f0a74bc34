import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Roomscribe.Transcript

// One room's live transcript: a bubble per utterance, following the newest
// while the operator is at the bottom, with search and copy.
Item {
    id: view

    required property QtObject backend
    property string room
    readonly property TranscriptModel model: transcript
    readonly property bool following: list.following

    // Speaker colours are dark enough for a light base; lift them on a dark one.
    readonly property bool darkBase: palette.base.hslLightness < 0.5

    function goToRow(row) {
        if (row < 0)
            return
        list.leaveLive()
        list.positionViewAtIndex(row, ListView.Center)
    }

    function stepMatch(backwards) {
        goToRow(backwards ? transcript.previousMatch() : transcript.nextMatch())
    }

    function jumpToLive() {
        list.following = true
        list.positionViewAtEnd()
    }

    function copy() {
        if (list.selectionFirst >= 0)
            transcript.copyToClipboard(list.selectionFirst, list.selectionLast)
        else
            transcript.copyToClipboard(0, -1)
    }

    TranscriptModel {
        id: transcript
        backend: view.backend
        room: view.room
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            spacing: 8

            TextField {
                id: searchField
                objectName: "searchField"
                Layout.fillWidth: true
                Layout.maximumWidth: 360
                placeholderText: qsTr("Search this transcript")
                selectByMouse: true
                onTextChanged: transcript.searchText = text
                Keys.onReturnPressed: event => view.stepMatch(event.modifiers & Qt.ShiftModifier)
                Keys.onEnterPressed: event => view.stepMatch(event.modifiers & Qt.ShiftModifier)
                Keys.onEscapePressed: text = ""
            }
            Label {
                objectName: "matchLabel"
                visible: searchField.text !== ""
                color: transcript.matchCount === 0 ? palette.placeholderText : palette.windowText
                text: transcript.matchCount === 0
                      ? qsTr("No matches")
                      : transcript.currentMatchIndex < 0
                        ? qsTr("%n match(es)", "", transcript.matchCount)
                        : qsTr("%1 of %2").arg(transcript.currentMatchIndex + 1).arg(transcript.matchCount)
            }
            ToolButton {
                objectName: "previousMatchButton"
                text: "▲"
                focusPolicy: Qt.NoFocus // Enter in the search field keeps stepping
                enabled: transcript.matchCount > 0
                onClicked: view.stepMatch(true)
                ToolTip.visible: hovered
                ToolTip.delay: 500
                ToolTip.text: qsTr("Previous match (Shift+Enter)")
            }
            ToolButton {
                objectName: "nextMatchButton"
                text: "▼"
                focusPolicy: Qt.NoFocus
                enabled: transcript.matchCount > 0
                onClicked: view.stepMatch(false)
                ToolTip.visible: hovered
                ToolTip.delay: 500
                ToolTip.text: qsTr("Next match (Enter)")
            }
            Item {
                Layout.fillWidth: true
            }
            Label {
                visible: transcript.count > 0
                color: palette.placeholderText
                text: qsTr("%n utterance(s)", "", transcript.count)
            }
            Button {
                objectName: "copyButton"
                enabled: transcript.count > 0
                text: list.selectionFirst >= 0
                      ? qsTr("Copy %n selected", "", list.selectionLast - list.selectionFirst + 1)
                      : qsTr("Copy all")
                onClicked: view.copy()
                ToolTip.visible: hovered
                ToolTip.delay: 500
                ToolTip.text: qsTr("Click a bubble to select it, Shift+click to select a range")
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: list
                objectName: "transcriptList"
                anchors.fill: parent
                clip: true
                model: transcript
                reuseItems: true
                spacing: 8
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {
                    id: scrollBar
                }

                // Follows the newest row until the operator scrolls away from the bottom.
                property bool following: true
                property int countWhenLeft: 0
                readonly property int newSinceLeft: following ? 0 : Math.max(0, count - countWhenLeft)
                property int selectionFirst: -1
                property int selectionLast: -1
                property int selectionAnchor: -1

                function leaveLive() {
                    if (!following)
                        return
                    following = false
                    countWhenLeft = count
                }
                function operatorMoved() {
                    if (atYEnd)
                        following = true
                    else
                        leaveLive()
                }
                function select(row, extend) {
                    if (extend && selectionAnchor >= 0) {
                        selectionFirst = Math.min(selectionAnchor, row)
                        selectionLast = Math.max(selectionAnchor, row)
                    } else if (selectionFirst === row && selectionLast === row) {
                        selectionFirst = selectionLast = selectionAnchor = -1
                    } else {
                        selectionFirst = selectionLast = selectionAnchor = row
                    }
                }

                onCountChanged: {
                    if (following)
                        Qt.callLater(list.positionViewAtEnd)
                    if (selectionLast >= count)
                        selectionFirst = selectionLast = selectionAnchor = -1
                }
                onContentHeightChanged: if (following)
                                            Qt.callLater(list.positionViewAtEnd)
                // Only the operator's own scrolling changes whether the view follows.
                onContentYChanged: if (moving || scrollBar.pressed)
                                       operatorMoved()
                onMovementEnded: operatorMoved()

                delegate: Item {
                    id: bubble

                    required property int index
                    required property string speaker
                    required property color speakerColor
                    required property string text
                    required property bool isFinal
                    required property string language
                    required property string time
                    required property bool isMatch
                    required property bool inferred

                    readonly property bool selected: index >= list.selectionFirst
                                                     && index <= list.selectionLast
                    readonly property bool currentMatch: index === transcript.currentMatchRow

                    width: ListView.view.width - (scrollBar.visible ? scrollBar.width : 0)
                    height: body.implicitHeight + 16

                    Rectangle {
                        anchors.fill: parent
                        radius: 6
                        color: bubble.selected || bubble.currentMatch
                               ? Qt.tint(palette.base, Qt.rgba(palette.highlight.r, palette.highlight.g,
                                                               palette.highlight.b, 0.22))
                               : palette.base
                        border.width: bubble.isMatch ? 2 : 1
                        border.color: bubble.isMatch ? palette.highlight : palette.mid
                    }
                    Rectangle {
                        x: 1
                        y: 6
                        width: 4
                        height: parent.height - 12
                        radius: 2
                        color: nameLabel.color
                    }

                    ColumnLayout {
                        id: body
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.top: parent.top
                        anchors.leftMargin: 16
                        anchors.rightMargin: 12
                        anchors.topMargin: 8
                        spacing: 4

                        RowLayout {
                            Layout.fillWidth: true
                            spacing: 8
                            Label {
                                id: nameLabel
                                objectName: "speakerLabel"
                                Layout.fillWidth: true
                                Layout.maximumWidth: implicitWidth
                                text: bubble.speaker
                                color: view.darkBase ? Qt.lighter(bubble.speakerColor, 1.8)
                                                     : bubble.speakerColor
                                font.bold: true
                                elide: Text.ElideRight
                            }
                            Label {
                                id: inferredLabel
                                objectName: "inferredLabel"
                                visible: bubble.inferred
                                text: qsTr("inferred")
                                font.italic: true
                                font.pixelSize: Math.round(nameLabel.font.pixelSize * 0.8)
                                color: palette.placeholderText
                                HoverHandler {
                                    id: inferredHover
                                }
                                ToolTip.visible: inferredHover.hovered
                                ToolTip.delay: 500
                                ToolTip.text: qsTr("Inferred from LiveKit's active speakers during this utterance: the room mix does not say who speaks, so the name may be wrong.")
                            }
                            Label {
                                objectName: "languageLabel"
                                visible: bubble.language !== ""
                                text: bubble.language.toUpperCase()
                                font.pixelSize: Math.round(nameLabel.font.pixelSize * 0.8)
                                leftPadding: 5
                                rightPadding: 5
                                topPadding: 1
                                bottomPadding: 1
                                color: palette.windowText
                                background: Rectangle {
                                    radius: 3
                                    color: palette.alternateBase
                                    border.color: palette.mid
                                }
                            }
                            Item {
                                Layout.fillWidth: true
                            }
                            Label {
                                objectName: "timeLabel"
                                text: bubble.time
                                color: palette.placeholderText
                                font.pixelSize: Math.round(nameLabel.font.pixelSize * 0.9)
                            }
                        }
                        Label {
                            objectName: "textLabel"
                            Layout.fillWidth: true
                            text: bubble.isFinal ? bubble.text : qsTr("%1 …").arg(bubble.text)
                            textFormat: Text.PlainText
                            wrapMode: Text.Wrap
                            font.italic: !bubble.isFinal
                            color: bubble.isFinal ? palette.text : palette.placeholderText
                        }
                    }

                    TapHandler {
                        id: tap
                        onTapped: list.select(bubble.index,
                                              (tap.point.modifiers & Qt.ShiftModifier) !== 0)
                    }
                }
            }

            Button {
                id: jumpButton
                objectName: "jumpToLiveButton"
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.bottom: parent.bottom
                anchors.bottomMargin: 12
                visible: !list.following && transcript.count > 0
                leftPadding: 16
                rightPadding: 16
                // Floats over the bubbles: it must stand out from them.
                contentItem: Label {
                    text: jumpButton.text
                    font.bold: true
                    color: palette.highlightedText
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
                background: Rectangle {
                    implicitHeight: 36
                    radius: height / 2
                    color: jumpButton.down ? Qt.darker(palette.highlight, 1.2) : palette.highlight
                }
                text: list.newSinceLeft > 0
                      ? qsTr("Jump to live (%n new)", "", list.newSinceLeft)
                      : qsTr("Jump to live")
                onClicked: view.jumpToLive()
            }

            ColumnLayout {
                objectName: "emptyState"
                anchors.centerIn: parent
                width: Math.min(parent.width - 24, 480)
                visible: transcript.count === 0
                spacing: 8
                Label {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    font.pixelSize: Math.round(searchField.font.pixelSize * 1.15)
                    text: qsTr("No speech transcribed in this room yet.")
                }
                Label {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    visible: view.backend !== null && !view.backend.transcribing
                    color: palette.placeholderText
                    text: qsTr("Transcription is off: no Gladia key. Open Settings.")
                }
            }
        }
    }
}
