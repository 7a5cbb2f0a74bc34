import QtQuick
import QtQuick.Controls
import QtTest
import Roomscribe.Latency

// LatencyView with a stub backend: no room streams yet.
Item {
    id: root
    width: 1000
    height: 600

    QtObject {
        id: stubBackend
        property bool transcribing: true
    }

    Component {
        id: viewComponent
        LatencyView {
            anchors.fill: parent
            backend: stubBackend
        }
    }

    TestCase {
        name: "Latency"
        when: windowShown

        function test_emptyState() {
            const view = createTemporaryObject(viewComponent, root)
            compare(view.model.count, 0)
            const empty = findChild(view, "emptyState")
            verify(empty.visible)
            compare(empty.children[0].text, "No room is streaming audio.")
            verify(empty.children[1].text.indexOf("Rooms view") >= 0)
            verify(!findChild(view, "latencyList").visible)
        }

        function test_formatting() {
            const view = createTemporaryObject(viewComponent, root)
            compare(view.formatMs(41.6, 3), "42 ms")
            compare(view.formatMs(0, 0), "–")
        }
    }
}
