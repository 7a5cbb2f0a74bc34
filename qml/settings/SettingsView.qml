import QtQuick
import Roomscribe.Settings
import QtQuick.Controls
import QtQuick.Layouts

// The console's settings: LiveKit, Gladia, routing, network, database and
// interface language. Saved values take effect at the next start (the
// language at once, through languageChosen).
Page {
    id: root
    required property QtObject backend // Roomscribe.Console ConsoleBackend; may be null
    property SettingsController settings: SettingsController {}
    signal restartRequested()
    signal languageChosen(string code)

    // Reads the stored settings when shown, unless the console already gave them (apply()).
    property bool autoLoad: true
    Component.onCompleted: if (autoLoad && !settings.loaded) settings.load()

    component Section: GroupBox {
        Layout.fillWidth: true
        Layout.maximumWidth: 820
    }
    component FieldGrid: GridLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        columns: 2
        columnSpacing: 12
        rowSpacing: 8
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: scroll.availableWidth - 24
            x: 12
            spacing: 12

            Item { Layout.preferredHeight: 4 }

            SecretsNotice {
                objectName: "secretsNotice"
                settings: root.settings
                Layout.fillWidth: true
                Layout.maximumWidth: 820
            }

            Section {
                title: qsTr("LiveKit")
                LiveKitFields {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    settings: root.settings
                }
            }

            Section {
                title: qsTr("Gladia")
                GladiaFields {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    settings: root.settings
                    showAdvanced: true
                }
            }

            Section {
                title: qsTr("Routing")
                FieldGrid {
                    FieldLabel { text: qsTr("Audio method") }
                    ComboBox {
                        objectName: "defaultMethod"
                        Layout.fillWidth: true
                        textRole: "label"
                        valueRole: "code"
                        model: [
                            { code: "auto", label: qsTr("Auto") },
                            { code: "composite", label: qsTr("Room mix (composite)") },
                            { code: "track", label: qsTr("Per speaker (track)") }
                        ]
                        currentIndex: Math.max(0, indexOfValue(root.settings.defaultMethod))
                        onActivated: root.settings.defaultMethod = currentValue
                    }
                    Item { width: 1; height: 1 }
                    HintLabel {
                        text: qsTr("Automatic takes the room mix when two or more people talk, and the single track when one does.")
                    }
                    FieldLabel { text: qsTr("Egress limit") }
                    SpinBox {
                        objectName: "egressLimit"
                        from: 0
                        to: 10000
                        editable: true
                        value: root.settings.egressLimit
                        onValueModified: root.settings.egressLimit = value
                    }
                    Item { width: 1; height: 1 }
                    HintLabel {
                        text: qsTr("How many egresses your LiveKit plan allows at once (2 on the free plan).")
                    }
                    Item { width: 1; height: 1 }
                    CheckBox {
                        objectName: "autoStart"
                        Layout.fillWidth: true
                        text: qsTr("Transcribe every new room automatically")
                        checked: root.settings.autoStart
                        onToggled: root.settings.autoStart = checked
                    }
                }
            }

            Section {
                title: qsTr("Network")
                FieldGrid {
                    FieldLabel { text: qsTr("RTMP listens on") }
                    SettingField { settings: root.settings; key: "rtmpListen"; placeholderText: "0.0.0.0:1935" }
                    FieldLabel { text: qsTr("Public RTMP URL") }
                    SettingField { settings: root.settings; key: "rtmpPublicUrl"; placeholderText: "rtmp://203.0.113.5:1935/live" }
                    FieldLabel { text: qsTr("Track audio listens on") }
                    SettingField { settings: root.settings; key: "wsListen"; placeholderText: qsTr("off, e.g. 0.0.0.0:8765") }
                    FieldLabel { text: qsTr("Public track audio URL") }
                    SettingField { settings: root.settings; key: "wsPublicUrl"; placeholderText: "wss://203.0.113.5:8765" }
                    FieldLabel { text: qsTr("Webhooks listen on") }
                    SettingField { settings: root.settings; key: "webhookListen"; placeholderText: qsTr("off, e.g. 0.0.0.0:8080") }
                    Item { width: 1; height: 1 }
                    HintLabel {
                        text: qsTr("The public URLs are what LiveKit's egress dials to send audio here; leave them empty to use this machine's address.")
                    }
                }
            }

            Section {
                title: qsTr("Database")
                FieldGrid {
                    FieldLabel { text: qsTr("Transcripts") }
                    SettingField { settings: root.settings; key: "database"; placeholderText: qsTr("the default SQLite file") }
                    Item { width: 1; height: 1 }
                    HintLabel {
                        text: qsTr("A SQLite file path, or postgresql://user@host:5432/database. A password written in the URL is stored in the settings file as plain text.")
                    }
                }
            }

            Section {
                title: qsTr("Interface language")
                FieldGrid {
                    FieldLabel { text: qsTr("Language") }
                    ComboBox {
                        objectName: "uiLanguage"
                        Layout.fillWidth: true
                        textRole: "label"
                        valueRole: "code"
                        model: [
                            { code: "", label: qsTr("System") },
                            { code: "en", label: "English" },
                            { code: "ru", label: "Русский" }
                        ]
                        currentIndex: Math.max(0, indexOfValue(root.settings.uiLanguage))
                        onActivated: {
                            root.settings.uiLanguage = currentValue
                            root.languageChosen(currentValue)
                        }
                    }
                }
            }

            Frame {
                objectName: "restartNotice"
                visible: root.settings.restartRequired
                Layout.fillWidth: true
                Layout.maximumWidth: 820
                RowLayout {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    spacing: 12
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Changes take effect after restart.")
                        wrapMode: Text.Wrap
                    }
                    Button {
                        objectName: "restartButton"
                        text: qsTr("Restart")
                        onClicked: root.restartRequested()
                    }
                }
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.maximumWidth: 820
                spacing: 12
                Button {
                    objectName: "saveButton"
                    text: qsTr("Save")
                    highlighted: true
                    enabled: !root.settings.busy && root.settings.loaded
                    onClicked: root.settings.save()
                }
                BusyIndicator {
                    running: root.settings.busy
                    visible: running
                    Layout.preferredHeight: 32
                    Layout.preferredWidth: 32
                }
                ResultLabel {
                    objectName: "saveResult"
                    Layout.fillWidth: true
                    ok: root.settings.errorText.length === 0
                    // The secret service's failure has its own notice above.
                    text: ok ? root.settings.statusText
                             : (root.settings.secretsAvailable ? root.settings.errorText : "")
                }
            }

            Item { Layout.preferredHeight: 12 }
        }
    }
}
