import QtQuick
import QtTest
import Roomscribe.Settings

// SettingsView and FirstRunView with a SettingsController fed through
// apply() (no settings file, no secret service): fields bound both ways,
// buttons enabled as they should be, the no-secret-service notice.
Item {
    id: top
    width: 1000
    height: 1400

    Component {
        id: settingsView
        SettingsView {
            anchors.fill: parent
            backend: null
            autoLoad: false
        }
    }
    Component {
        id: firstRunView
        FirstRunView {
            anchors.fill: parent
            backend: null
            autoLoad: false
        }
    }
    SignalSpy { id: spy }

    TestCase {
        name: "Settings"
        when: windowShown

        function watch(target, signalName) {
            spy.target = null
            spy.signalName = signalName
            spy.target = target
            spy.clear()
        }

        function typeInto(field, text) {
            field.forceActiveFocus()
            field.selectAll()
            for (let i = 0; i < text.length; ++i)
                keyClick(text[i])
        }

        function test_fieldsBoundBothWays() {
            const view = createTemporaryObject(settingsView, top)
            view.settings.apply({ liveKitUrl: "wss://lk.example", liveKitApiKey: "APIk",
                                  egressLimit: 5, defaultMethod: "track", uiLanguage: "ru",
                                  languages: ["de", "fr"], autoStart: true }, "")
            compare(findChild(view, "liveKitUrl").text, "wss://lk.example")
            compare(findChild(view, "liveKitApiKey").text, "APIk")
            compare(findChild(view, "egressLimit").value, 5)
            compare(findChild(view, "defaultMethod").currentValue, "track")
            compare(findChild(view, "uiLanguage").currentValue, "ru")
            compare(findChild(view, "languages").text, "de, fr")
            compare(findChild(view, "autoStart").checked, true)

            typeInto(findChild(view, "rtmpListen"), "127.0.0.1:1999")
            compare(view.settings.rtmpListen, "127.0.0.1:1999")
            typeInto(findChild(view, "languages"), "en, ru")
            compare(view.settings.languages, ["en", "ru"])
            const secret = findChild(view, "liveKitApiSecret")
            typeInto(secret.field, "s3cret")
            compare(view.settings.liveKitApiSecret, "s3cret")
            compare(secret.field.echoMode, TextInput.Password)
        }

        function test_buttonsEnabled() {
            const view = createTemporaryObject(settingsView, top)
            const save = findChild(view, "saveButton")
            const testLiveKit = findChild(view, "testLiveKit")
            const testGladia = findChild(view, "testGladia")
            verify(!save.enabled) // nothing loaded yet
            view.settings.apply({ liveKitUrl: "http://127.0.0.1:9", liveKitApiKey: "k" }, "")
            verify(save.enabled)
            verify(!testLiveKit.enabled) // no secret yet
            verify(!testGladia.enabled)
            view.settings.liveKitApiSecret = "s"
            view.settings.gladiaApiKey = "g"
            verify(testLiveKit.enabled)
            verify(testGladia.enabled)

            // Busy while a test runs: nothing else can start.
            view.settings.testLiveKit()
            verify(view.settings.busy)
            verify(!save.enabled)
            verify(!testLiveKit.enabled)
            tryVerify(() => !view.settings.busy, 20000)
            verify(save.enabled)
            verify(!view.settings.liveKitTestOk)
            const result = findChild(view, "liveKitResult")
            verify(result.visible)
            compare(result.text, view.settings.liveKitTestText)
            verify(!findChild(view, "restartNotice").visible)
        }

        function test_noSecretServiceNotice() {
            const view = createTemporaryObject(settingsView, top)
            const notice = findChild(view, "secretsNotice")
            view.settings.apply({}, "")
            verify(!notice.visible)
            view.settings.apply({}, view.settings.secretsHelp)
            verify(!view.settings.secretsAvailable)
            verify(notice.visible)
            verify(view.settings.secretsHelp.indexOf("GLADIA_API_KEY") >= 0)
            // Shown once, in the notice, not again beside Save.
            compare(findChild(view, "saveResult").text, "")
        }

        function test_languageChosenAtOnce() {
            const view = createTemporaryObject(settingsView, top)
            view.settings.apply({}, "")
            watch(view, "languageChosen")
            const combo = findChild(view, "uiLanguage")
            combo.currentIndex = 2
            combo.activated(2)
            compare(spy.count, 1)
            compare(spy.signalArguments[0][0], "ru")
            compare(view.settings.uiLanguage, "ru")
        }

        function test_firstRun() {
            const view = createTemporaryObject(firstRunView, top)
            view.settings.apply({}, "")
            const start = findChild(view, "saveAndStart")
            verify(!start.enabled) // nothing entered
            view.settings.gladiaApiKey = "g"
            verify(start.enabled)
            verify(!findChild(view, "secretsNotice").visible)

            watch(view, "finished")
            mouseClick(findChild(view, "skip"))
            compare(spy.count, 1)
            verify(view.rtmpOnly)
        }

        function test_firstRunWithoutSecretService() {
            const view = createTemporaryObject(firstRunView, top)
            view.settings.apply({ gladiaApiKey: "g" }, "no secret service")
            verify(findChild(view, "secretsNotice").visible)
            const start = findChild(view, "saveAndStart")
            compare(start.text, "Start without storing keys")
            watch(view, "finished")
            mouseClick(start)
            compare(spy.count, 1)
            verify(!view.rtmpOnly)
        }
    }
}
