import QtQuick
import QtTest
import Roomscribe.Export

// ExportView without sessions: the empty state, a database it cannot read,
// the format chooser, and the export button's state.
Item {
    id: top
    width: 1000
    height: 700

    Component {
        id: exportView
        ExportView {
            anchors.fill: parent
            backend: null
        }
    }

    TestCase {
        name: "Export"
        when: windowShown

        function test_emptyState() {
            const view = createTemporaryObject(exportView, top,
                                               { database: "/nonexistent-roomscribe/t.sqlite" })
            tryVerify(() => view.sessions.loaded && !view.sessions.busy, 20000)
            const empty = findChild(view, "emptyState")
            verify(empty.visible)
            verify(empty.text.indexOf("No transcripts yet") === 0)
            verify(!findChild(view, "listError").visible)
            verify(!findChild(view, "exportButton").enabled)
            verify(!findChild(view, "progress").visible)
            verify(!findChild(view, "exportResult").visible)
        }

        function test_unreadableDatabase() {
            const view = createTemporaryObject(exportView, top, { database: "mysql://nope" })
            tryVerify(() => view.sessions.loaded && !view.sessions.busy, 20000)
            const error = findChild(view, "listError")
            verify(error.visible)
            verify(error.text.length > 0)
            verify(!findChild(view, "emptyState").visible)
        }

        function test_formatChooser() {
            const view = createTemporaryObject(exportView, top,
                                               { database: "/nonexistent-roomscribe/t.sqlite" })
            compare(view.format, "txt")
            verify(findChild(view, "format_txt").checked)
            mouseClick(findChild(view, "format_vtt"))
            compare(view.format, "vtt")
            verify(!findChild(view, "format_txt").checked)
            compare(view.exporter.suggestedFileUrl("room-2024-05-01_1000", view.format).toString().slice(-4),
                    ".vtt")
        }
    }
}
