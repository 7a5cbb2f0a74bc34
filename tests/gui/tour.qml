import QtQuick

// Walks the console like an operator (run with --gui-script): waits for the
// room, starts it with its Start button, waits for its transcript, saves a
// screenshot of every view in English and Russian, then closes the window.
// Prints "TOUR <what> <detail>" lines for the test; "TOUR FAIL" on a timeout.
// @SHOTS@ and @ROOM@ are filled in by the test.
Item {
    id: tour

    required property var window
    required property var backend
    required property var ui

    readonly property string shots: "@SHOTS@"
    readonly property string room: "@ROOM@"
    readonly property var views: ["rooms", "usage", "transcripts", "latency", "export",
                                  "streams", "settings"]
    property int step: 0
    property int waited_ms: 0
    property bool shooting: false
    property var queue: []

    function report(what, detail) {
        console.log("TOUR " + what + " " + detail)
    }
    function find(item, accept) {
        if (!item)
            return null
        if (accept(item))
            return item
        for (let i = 0; i < item.children.length; ++i) {
            const found = find(item.children[i], accept)
            if (found)
                return found
        }
        return null
    }
    function named(name) {
        return find(window.contentItem, item => item.objectName === name)
    }
    // The Start button on the room's row in the rooms view.
    function startButtonOf(name) {
        const label = find(window.contentItem,
                           item => item.objectName === "roomName" && item.text === name)
        for (let row = label ? label.parent : null; row; row = row.parent) {
            const button = find(row, item => item.objectName === "startButton")
            if (button)
                return button
        }
        return null
    }
    // The transcript list that shows the room.
    function transcriptOf(name) {
        return find(window.contentItem, item => item.objectName === "transcriptList"
                    && item.model && item.model.room === name)
    }
    function tabTitles() {
        const tabs = named("pageTabs")
        const titles = []
        for (let i = 0; i < tabs.count; ++i)
            titles.push(tabs.itemAt(i).text)
        return titles.join(",")
    }
    // Every text a person can see on the page (labels, buttons, fields).
    function visibleTexts(item, out) {
        if (!item || !item.visible || item.opacity === 0)
            return out
        if (typeof item.text === "string" && item.text.length > 0
                && (item.width > 0 || item.height > 0))
            out.push(item.text)
        if (typeof item.placeholderText === "string" && item.placeholderText.length > 0
                && !item.text)
            out.push(item.placeholderText)
        for (let i = 0; i < item.children.length; ++i)
            visibleTexts(item.children[i], out)
        return out
    }
    function sceneRoot() {
        let item = window.contentItem
        while (item.parent)
            item = item.parent
        return item
    }
    // Shows each page in turn and saves it as <page>_<language>.png.
    function shootAll(language) {
        queue = views.map(view => ({view: view, language: language}))
        shooting = true
        shootNext()
    }
    function shootNext() {
        if (queue.length === 0) {
            shooting = false
            return
        }
        const shot = queue.shift()
        window.showPage(shot.view)
        // Two frames for layouts and bindings to settle before the grab.
        settle.shot = shot
        settle.restart()
    }
    Timer {
        id: settle
        property var shot
        interval: 600
        onTriggered: {
            const path = tour.shots + "/" + shot.view + "_" + shot.language + ".png"
            if (!tour.ui.saveScreenshot(path))
                tour.report("FAIL", "screenshot " + path)
            tour.report("shot", path)
            tour.report("texts", shot.view + "_" + shot.language + " "
                        + JSON.stringify(tour.visibleTexts(tour.sceneRoot(), [])))
            tour.shootNext()
        }
    }

    // Each step returns true when done; a step that takes over 60 s fails the tour.
    readonly property var steps: [
        function roomListed() {
            window.showPage("rooms")
            return startButtonOf(room) !== null
        },
        function startRoom() {
            const button = startButtonOf(room)
            if (!button.enabled)
                return false
            button.clicked()
            report("started", room)
            return true
        },
        function roomLive() {
            const rooms = backend.liveRoomCount
            return rooms > 0
        },
        function openTranscript() {
            window.openTranscript(room)
            return transcriptOf(room) !== null
        },
        function transcriptFinal() {
            const view = transcriptOf(room)
            if (!view || view.model.finalCount === 0)
                return false
            report("transcript", view.model.plainText().replace(/\n/g, " | "))
            return true
        },
        function shootEnglish() {
            shootAll("en")
            return true
        },
        function englishDone() {
            return !shooting
        },
        function toRussian() {
            report("tabs", tabTitles())
            ui.setLanguage("ru")
            shootAll("ru")
            return true
        },
        function russianDone() {
            if (shooting)
                return false
            report("tabs", tabTitles())
            return true
        },
        function close() {
            report("done", "")
            window.close()
            return true
        }
    ]

    Timer {
        interval: 200
        repeat: true
        running: tour.step < tour.steps.length
        onTriggered: {
            let done = false
            try {
                done = tour.steps[tour.step]()
            } catch (error) {
                tour.report("FAIL", tour.steps[tour.step].name + ": " + error)
                stop()
                tour.window.close()
                return
            }
            if (done) {
                tour.step += 1
                tour.waited_ms = 0
                return
            }
            tour.waited_ms += interval
            if (tour.waited_ms > 60000) {
                tour.report("FAIL", tour.steps[tour.step].name)
                stop()
                tour.window.close()
            }
        }
    }
}
