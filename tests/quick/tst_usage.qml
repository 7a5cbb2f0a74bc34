import QtQuick
import QtTest
import Roomscribe.Usage

// UsageView with a stub backend and stub figures: centre text, the full
// banner, the queue and its empty state, the limit editor.
Item {
    id: top
    width: 1000
    height: 700

    QtObject {
        id: stub
        property int egressLimit: 10
    }

    ListModel {
        id: usageStub
        property int used: 3
        property int limit: 10
        property int inFlight: 1
        property bool full: false
        property string fullSinceText: ""
        property var queue: []
        property int queueLength: queue.length
        property int compositeCount: 1
        property int trackCount: 2
        signal historyChanged()
        function history() {
            return [{ t: 1000, used: 1, limit: 10 }, { t: 11000, used: 3, limit: 10 }]
        }
        ListElement { room: "standup"; method: "composite"; methodText: "Room mix (composite)"; egresses: 1 }
        ListElement { room: "board"; method: "track"; methodText: "Per speaker (track)"; egresses: 2 }
    }

    Component {
        id: viewComponent
        UsageView {
            anchors.fill: parent
        }
    }

    TestCase {
        name: "UsageView"
        when: windowShown

        function test_realModelWithoutBackend() {
            const view = createTemporaryObject(viewComponent, top, { backend: null })
            verify(view)
            compare(view.usage.used, 0)
            compare(findChild(view, "gaugeText").text, "0 of 0 egresses")
            verify(!findChild(view, "fullBanner").visible)
            verify(findChild(view, "queueEmpty").visible)
            compare(findChild(view, "breakdownList").count, 0)
            compare(view.usage.history().length, 0)
        }

        function test_figures() {
            stub.egressLimit = 10
            usageStub.full = false
            usageStub.queue = []
            const view = createTemporaryObject(viewComponent, top, { backend: stub, usage: usageStub })
            verify(view)
            compare(findChild(view, "gaugeText").text, "3 of 10 egresses")
            compare(findChild(view, "breakdownList").count, 2)
            verify(findChild(view, "queueEmpty").visible)
            verify(!findChild(view, "fullBanner").visible)
            compare(findChild(view, "limitBox").value, 10)
        }

        function test_fullAndQueue() {
            usageStub.full = true
            usageStub.fullSinceText = "Budget full since 14:02:31"
            usageStub.queue = ["alpha", "beta"]
            const view = createTemporaryObject(viewComponent, top, { backend: stub, usage: usageStub })
            verify(findChild(view, "fullBanner").visible)
            compare(findChild(view, "fullSinceText").text, "Budget full since 14:02:31")
            verify(!findChild(view, "queueEmpty").visible)
            const queue = findChild(view, "queueList")
            compare(queue.count, 2)
            compare(queue.itemAtIndex(0).text, "1. alpha")
        }

        function test_editLimit() {
            stub.egressLimit = 10
            const view = createTemporaryObject(viewComponent, top, { backend: stub, usage: usageStub })
            const box = findChild(view, "limitBox")
            box.forceActiveFocus()
            keyClick(Qt.Key_Up)
            compare(stub.egressLimit, 11)
            // The box follows the backend again after an edit.
            stub.egressLimit = 20
            compare(box.value, 20)
        }
    }
}
