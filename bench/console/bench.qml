import QtQuick

// Drives the console for bench/console_bench.py (run with --gui-script).
// Opens the transcripts of @OPEN@ as soon as the rooms list them and keeps the
// Transcripts page in front (or, with an alternation period, cycles through
// each open transcript and the Rooms page). Prints "BENCH <what> <detail>"
// lines; the bench reads them with their monotonic time stamps
// (QT_MESSAGE_PATTERN). Commands come from the file @CONTROL@, one word per
// line, read once a second: "page <name>", "transcript <room>", "quit".
// The @…@ placeholders are filled in by the bench.
Item {
    id: bench

    required property var window
    required property var backend
    required property var ui

    readonly property var rooms: @OPEN@
    readonly property string control: "@CONTROL@"
    readonly property int alternate_ms: @ALTERNATE_MS@
    property bool opened: false
    property int done_commands: 0
    property int turn: 0

    function report(what, detail) {
        console.log("BENCH " + what + " " + detail)
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
    function openAll() {
        for (const room of rooms)
            window.openTranscript(room)
        const page = named("transcriptsPage")
        return page !== null && page.count === rooms.length
    }
    function run(command) {
        const words = command.split(" ")
        if (words[0] === "page")
            window.showPage(words[1])
        else if (words[0] === "transcript")
            window.openTranscript(words[1])
        else if (words[0] === "quit")
            window.close()
        report("did", command)
    }

    Component.onCompleted: report("shown", window.width + "x" + window.height)

    // The live room count, once a second; the transcripts open once the
    // rooms appear (openTranscript needs nothing more than a name, but a
    // view opened before its room exists would measure an empty page).
    Timer {
        interval: 1000
        repeat: true
        running: true
        onTriggered: {
            const live = bench.backend.liveRoomCount
            bench.report("live", live)
            if (!bench.opened && live >= bench.rooms.length && bench.rooms.length > 0) {
                bench.opened = bench.openAll()
                if (bench.opened)
                    bench.report("opened", bench.rooms.join(","))
            }
            const request = new XMLHttpRequest()
            request.onreadystatechange = () => {
                if (request.readyState !== XMLHttpRequest.DONE)
                    return
                const commands = request.responseText.split("\n").filter(line => line !== "")
                for (; bench.done_commands < commands.length; ++bench.done_commands)
                    bench.run(commands[bench.done_commands])
            }
            request.open("GET", "file://" + bench.control)
            request.send()
        }
    }

    Timer {
        interval: Math.max(bench.alternate_ms, 1)
        repeat: true
        running: bench.opened && bench.alternate_ms > 0
        onTriggered: {
            bench.turn = (bench.turn + 1) % (bench.rooms.length + 1)
            if (bench.turn < bench.rooms.length)
                bench.window.openTranscript(bench.rooms[bench.turn])
            else
                bench.window.showPage("rooms")
        }
    }
}
