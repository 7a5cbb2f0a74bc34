import QtQuick
import QtQuick.Controls
import QtTest
import Roomscribe.Transcript

// TranscriptView and TranscriptsPage with a stub backend, rows fed to the
// view's model directly.
Item {
    id: root
    width: 800
    height: 600

    QtObject {
        id: stubBackend
        property bool transcribing: false
    }

    Component {
        id: viewComponent
        TranscriptView {
            anchors.fill: parent
            backend: stubBackend
            room: "standup"
        }
    }

    Component {
        id: pageComponent
        TranscriptsPage {
            anchors.fill: parent
            backend: stubBackend
        }
    }

    TestCase {
        name: "Transcript"
        when: windowShown

        function segment(i, isFinal, text, speaker) {
            return {
                "room": "standup",
                "stream": "mix",
                "utteranceId": String(i),
                "isFinal": isFinal,
                "text": text,
                "speaker": speaker === undefined ? "" : speaker,
                "language": "ru",
                "start_ms": i * 1000,
                "end_ms": i * 1000 + 900,
                "wallClock": new Date(2024, 4, 1, 12, 0, i % 60),
                "received_ms": 0
            }
        }

        function labelTexts(item) {
            let texts = []
            for (let i = 0; i < item.children.length; ++i) {
                const child = item.children[i]
                if (child.text !== undefined && child.visible)
                    texts.push(child.text)
                texts = texts.concat(labelTexts(child))
            }
            return texts
        }

        function test_emptyState() {
            const view = createTemporaryObject(viewComponent, root)
            const empty = findChild(view, "emptyState")
            verify(empty.visible)
            stubBackend.transcribing = false
            compare(labelTexts(empty), ["No speech transcribed in this room yet.",
                                        "Transcription is off: no Gladia key. Open Settings."])
            stubBackend.transcribing = true
            compare(labelTexts(empty), ["No speech transcribed in this room yet."])
            view.model.appendSegment(segment(1, true, "Hello."))
            verify(!empty.visible)
        }

        function test_partialThenFinal() {
            const view = createTemporaryObject(viewComponent, root)
            const list = findChild(view, "transcriptList")
            view.model.appendSegment(segment(1, false, "Прив"))
            tryCompare(list, "count", 1)
            tryVerify(() => list.itemAtIndex(0) !== null)
            let bubble = list.itemAtIndex(0)
            compare(findChild(bubble, "speakerLabel").text, "Room mix")
            compare(findChild(bubble, "languageLabel").text, "RU")
            compare(findChild(bubble, "timeLabel").text, "12:00:01")
            compare(findChild(bubble, "textLabel").text, "Прив …")
            verify(findChild(bubble, "textLabel").font.italic)
            view.model.appendSegment(segment(1, true, "Привет всем.", ""))
            compare(list.count, 1)
            bubble = list.itemAtIndex(0)
            compare(findChild(bubble, "textLabel").text, "Привет всем.")
            verify(!findChild(bubble, "textLabel").font.italic)
            verify(!findChild(bubble, "inferredLabel").visible)
        }

        function test_inferredSpeaker() {
            const view = createTemporaryObject(viewComponent, root)
            const list = findChild(view, "transcriptList")
            let inferred = segment(1, false, "Прив", "alice")
            inferred.speakerInferred = true
            view.model.appendSegment(inferred)
            tryCompare(list, "count", 1)
            tryVerify(() => list.itemAtIndex(0) !== null)
            let bubble = list.itemAtIndex(0)
            compare(findChild(bubble, "speakerLabel").text, "alice")
            const marker = findChild(bubble, "inferredLabel")
            verify(marker.visible)
            compare(marker.text, "inferred")
            verify(marker.ToolTip.text.indexOf("active speakers") >= 0)
            // The final found nobody: back to the room mix, without the marker.
            view.model.appendSegment(segment(1, true, "Привет всем."))
            bubble = list.itemAtIndex(0)
            compare(findChild(bubble, "speakerLabel").text, "Room mix")
            verify(!findChild(bubble, "inferredLabel").visible)
        }

        function test_jumpToLiveAfterScrollingUp() {
            const view = createTemporaryObject(viewComponent, root)
            const list = findChild(view, "transcriptList")
            const jump = findChild(view, "jumpToLiveButton")
            for (let i = 0; i < 200; ++i)
                view.model.appendSegment(segment(i, true, "Line number " + i + " of a long meeting.",
                                                 i % 2 ? "Alice" : "Bob"))
            tryVerify(() => list.contentHeight > list.height && list.atYEnd)
            verify(view.following)
            verify(!jump.visible)

            // The operator drags the transcript down to read what came before.
            mouseDrag(list, list.width / 2, list.height / 4, 0, list.height / 2)
            tryVerify(() => !list.atYEnd)
            tryVerify(() => !list.moving)
            verify(!view.following)
            verify(jump.visible)
            compare(jump.text, "Jump to live")

            for (let i = 200; i < 203; ++i)
                view.model.appendSegment(segment(i, true, "More."))
            tryCompare(jump, "text", "Jump to live (3 new)")
            verify(!list.atYEnd) // the operator's place holds

            mouseClick(jump)
            tryVerify(() => list.contentHeight > list.height && list.atYEnd)
            verify(view.following)
            verify(!jump.visible)
            view.model.appendSegment(segment(300, true, "Newest."))
            tryVerify(() => list.atYEnd)
        }

        function test_search() {
            const view = createTemporaryObject(viewComponent, root)
            const field = findChild(view, "searchField")
            const label = findChild(view, "matchLabel")
            const list = findChild(view, "transcriptList")
            const words = ["An apple.", "A pear.", "Apple pie.", "Plums."]
            for (let i = 0; i < words.length; ++i)
                view.model.appendSegment(segment(i, true, words[i], "Alice"))
            verify(!label.visible)
            field.forceActiveFocus()
            for (const key of "apple")
                keyClick(key)
            compare(view.model.searchText, "apple")
            verify(label.visible)
            compare(view.model.matchCount, 2)
            keyClick(Qt.Key_Return)
            compare(label.text, "1 of 2")
            compare(view.model.currentMatchRow, 0)
            mouseClick(findChild(view, "nextMatchButton"))
            compare(label.text, "2 of 2")
            compare(view.model.currentMatchRow, 2)
            keyClick(Qt.Key_Return)
            compare(label.text, "1 of 2") // wraps around
            mouseClick(findChild(view, "previousMatchButton"))
            compare(view.model.currentMatchRow, 2)
            verify(!view.following)
            field.text = "kiwi"
            compare(label.text, "No matches")
        }

        function test_copy() {
            const view = createTemporaryObject(viewComponent, root)
            const copy = findChild(view, "copyButton")
            verify(!copy.enabled)
            view.model.appendSegment(segment(1, true, "One.", "Alice"))
            view.model.appendSegment(segment(2, true, "Two."))
            verify(copy.enabled)
            compare(copy.text, "Copy all")
            compare(view.model.plainText(), "[12:00:01] Alice: One.\n[12:00:02] Room mix: Two.")
        }

        function test_pageTabs() {
            const page = createTemporaryObject(pageComponent, root)
            const empty = findChild(page, "emptyState")
            verify(empty.visible)
            compare(labelTexts(empty)[1], "Open a room from the Rooms view to follow its transcript here.")
            page.openRoom("standup")
            page.openRoom("retro")
            compare(page.count, 2)
            compare(page.currentRoom, "retro")
            verify(!empty.visible)
            page.openRoom("standup")
            compare(page.count, 2)
            compare(page.currentRoom, "standup")
            const tabs = findChild(page, "roomTabs")
            const close = findChild(tabs.itemAt(0), "closeTabButton")
            mouseClick(close)
            compare(page.count, 1)
            compare(page.currentRoom, "retro")
            page.closeRoom(0)
            compare(page.count, 0)
            verify(empty.visible)
        }
    }
}
