<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ExportView</name>
    <message>
        <location filename="../qml/export/ExportView.qml" line="46"/>
        <source>Export transcript</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="61"/>
        <source>Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="67"/>
        <source>All rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="73"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="144"/>
        <source>live</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/export/ExportView.qml" line="157"/>
        <source>%1, running for %2 · %n segments</source>
        <translation>
            <numerusform>%1, running for %2 · %n segment</numerusform>
            <numerusform>%1, running for %2 · %n segments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/export/ExportView.qml" line="158"/>
        <source>%1 to %2 (%3) · %n segments</source>
        <translation>
            <numerusform>%1 to %2 (%3) · %n segment</numerusform>
            <numerusform>%1 to %2 (%3) · %n segments</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="171"/>
        <source>No transcripts yet. A room&apos;s session appears here once Roomscribe has transcribed something in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="172"/>
        <source>No room matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="184"/>
        <source>Text (TXT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="184"/>
        <source>Text files (*.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="185"/>
        <source>Readable paragraphs with times and speakers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="186"/>
        <source>Subtitles (SRT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="186"/>
        <source>SubRip subtitles (*.srt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="187"/>
        <source>Subtitles for video players and editors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="188"/>
        <source>Web subtitles (VTT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="188"/>
        <source>WebVTT subtitles (*.vtt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="189"/>
        <source>Subtitles for web video, with speaker names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="190"/>
        <source>Data (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="190"/>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="191"/>
        <source>Everything stored, with word timings, for programs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="196"/>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="229"/>
        <source>Session: %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="230"/>
        <source>Choose a session in the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="237"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="247"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="278"/>
        <source>Saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="282"/>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunView</name>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="41"/>
        <source>Welcome to Roomscribe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="49"/>
        <source>Roomscribe transcribes LiveKit rooms as people speak. It needs two things:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="55"/>
        <source>• your LiveKit server&apos;s URL with an API key and secret, to see the rooms and take their audio;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="61"/>
        <source>• a Gladia API key, to turn the speech into text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="72"/>
        <source>LiveKit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="81"/>
        <source>Gladia</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="101"/>
        <source>Save and start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="102"/>
        <source>Start without storing keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="125"/>
        <source>Skip: only receive RTMP streams</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GladiaFields</name>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="15"/>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="22"/>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="30"/>
        <source>Gladia&apos;s default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="31"/>
        <source>Europe (eu-west)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="32"/>
        <source>United States (us-west)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="37"/>
        <source>Languages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="47"/>
        <source>API URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="61"/>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LatencyView</name>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="27"/>
        <location filename="../qml/latency/LatencyView.qml" line="288"/>
        <location filename="../qml/latency/LatencyView.qml" line="304"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="27"/>
        <source>–</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="70"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="98"/>
        <source>Chunking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="99"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="100"/>
        <source>STT final</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="101"/>
        <source>Ack round trip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="102"/>
        <source>STT partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="128"/>
        <source>End to end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="141"/>
        <source>Gladia reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="154"/>
        <source>Audio dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="162"/>
        <source>Bars stack the stages a final passes through (last minute); the line marks end to end latency, from the utterance&apos;s last audio to its transcript.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="242"/>
        <source>End to end p50 %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="243"/>
        <source>End to end: no finals yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="249"/>
        <source>End to end p95 %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/latency/LatencyView.qml" line="256"/>
        <source>%n reconnect(s), %1 s dropped</source>
        <translation>
            <numerusform>%n reconnect, %1 s dropped</numerusform>
            <numerusform>%n reconnects, %1 s dropped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/latency/LatencyView.qml" line="263"/>
        <source>%n stream(s)</source>
        <translation>
            <numerusform>%n stream</numerusform>
            <numerusform>%n streams</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="275"/>
        <source>p50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="291"/>
        <source>p95</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="316"/>
        <source>%1 %2 / %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="330"/>
        <source>End to end, last 15 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="378"/>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="385"/>
        <source>Peak p50 %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="387"/>
        <source>No history yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="406"/>
        <source>No room is streaming audio.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="414"/>
        <source>Start a room from the Rooms view: its latencies appear here once its audio reaches the engine.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <location filename="../qml/rooms/LevelMeter.qml" line="23"/>
        <source>Level %1 dBFS</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LiveKitFields</name>
    <message>
        <location filename="../qml/settings/LiveKitFields.qml" line="14"/>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/LiveKitFields.qml" line="20"/>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/LiveKitFields.qml" line="25"/>
        <source>API secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/LiveKitFields.qml" line="38"/>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/main/Main.qml" line="43"/>
        <location filename="../qml/main/Main.qml" line="52"/>
        <source>Roomscribe</source>
        <translation>Roomscribe</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="58"/>
        <source>LiveKit connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="59"/>
        <source>No LiveKit server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="63"/>
        <source>Transcription on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="64"/>
        <source>Transcription off: no Gladia key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="69"/>
        <source>Egress %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/main/Main.qml" line="74"/>
        <source>%n live room(s)</source>
        <translation>
            <numerusform>%n live room</numerusform>
            <numerusform>%n live rooms</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="105"/>
        <source>Rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="106"/>
        <source>Egress usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="107"/>
        <source>Transcripts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="108"/>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="109"/>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="110"/>
        <source>Streams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="111"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RTMP ingest</source>
        <translation type="vanished">RTMP ingest</translation>
    </message>
    <message numerus="yes">
        <source>%n publishing</source>
        <translation type="vanished">
            <numerusform>%n publishing</numerusform>
            <numerusform>%n publishing</numerusform>
        </translation>
    </message>
    <message>
        <source>Publish room audio (AAC in FLV over RTMP) to:</source>
        <translation type="vanished">Publish room audio (AAC in FLV over RTMP) to:</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="vanished">Copy</translation>
    </message>
    <message>
        <source>No stream has been published yet.</source>
        <translation type="vanished">No stream has been published yet.</translation>
    </message>
    <message>
        <source>waiting for publisher</source>
        <translation type="vanished">waiting for publisher</translation>
    </message>
    <message>
        <source>%1 s of audio</source>
        <translation type="vanished">%1 s of audio</translation>
    </message>
</context>
<context>
    <name>RoomsView</name>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="66"/>
        <source>Filter rooms by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="73"/>
        <source>Sort by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="82"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="83"/>
        <source>Participants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="84"/>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="85"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="95"/>
        <source>Ascending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="95"/>
        <source>Descending</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/RoomsView.qml" line="170"/>
        <source>%n participant(s)</source>
        <translation>
            <numerusform>%n participant</numerusform>
            <numerusform>%n participants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/RoomsView.qml" line="171"/>
        <source>%n speaking</source>
        <translation>
            <numerusform>%n speaking</numerusform>
            <numerusform>%n speaking</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="229"/>
        <source>How to take this room&apos;s audio when it starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="234"/>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="240"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="246"/>
        <source>Transcript</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="263"/>
        <source>No LiveKit server is configured. Open Settings to connect one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="265"/>
        <source>LiveKit reports no rooms yet. Rooms appear here as soon as someone joins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/RoomsView.qml" line="267"/>
        <source>No room name contains “%1”. Clear the filter to see all %n room(s).</source>
        <translation>
            <numerusform>No room name contains “%1”. Clear the filter to see the %n room.</numerusform>
            <numerusform>No room name contains “%1”. Clear the filter to see all %n rooms.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SecretField</name>
    <message>
        <location filename="../qml/settings/SecretField.qml" line="24"/>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SecretsNotice</name>
    <message>
        <location filename="../qml/settings/SecretsNotice.qml" line="22"/>
        <source>Keys cannot be stored</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="52"/>
        <source>LiveKit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="61"/>
        <source>Gladia</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="71"/>
        <source>Routing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="73"/>
        <source>Audio method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="81"/>
        <source>Room mix (composite)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="80"/>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="82"/>
        <source>Per speaker (track)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="89"/>
        <source>Automatic takes the room mix when two or more people talk, and the single track when one does.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="91"/>
        <source>Egress limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="102"/>
        <source>How many egresses your LiveKit plan allows at once (2 on the free plan).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="108"/>
        <source>Transcribe every new room automatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="116"/>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="118"/>
        <source>RTMP listens on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="120"/>
        <source>Public RTMP URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="122"/>
        <source>Track audio listens on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="123"/>
        <source>off, e.g. 0.0.0.0:8765</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="124"/>
        <source>Public track audio URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="126"/>
        <source>Webhooks listen on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="127"/>
        <source>off, e.g. 0.0.0.0:8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="130"/>
        <source>The public URLs are what LiveKit&apos;s egress dials to send audio here; leave them empty to use this machine&apos;s address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="136"/>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="138"/>
        <source>Transcripts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="139"/>
        <source>the default SQLite file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="142"/>
        <source>A SQLite file path, or postgresql://user@host:5432/database. A password written in the URL is stored in the settings file as plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="148"/>
        <source>Interface language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="150"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="157"/>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="181"/>
        <source>Changes take effect after restart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="186"/>
        <source>Restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="198"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamListModel</name>
    <message numerus="yes">
        <location filename="../qml/main/streamlistmodel.cpp" line="26"/>
        <source>AAC %1 kHz, %n channel(s)</source>
        <translation>
            <numerusform>AAC %1 kHz, %n channel</numerusform>
            <numerusform>AAC %1 kHz, %n channels</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/streamlistmodel.cpp" line="92"/>
        <source>chunk latency p50 %1 ms, p99 %2 ms</source>
        <translation>chunk latency p50 %1 ms, p99 %2 ms</translation>
    </message>
</context>
<context>
    <name>StreamsView</name>
    <message numerus="yes">
        <location filename="../qml/main/StreamsView.qml" line="25"/>
        <source>%n publishing</source>
        <translation>
            <numerusform>%n publishing</numerusform>
            <numerusform>%n publishing</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="36"/>
        <source>Publish room audio (AAC in FLV over RTMP) to:</source>
        <translation type="unfinished">Publish room audio (AAC in FLV over RTMP) to:</translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="51"/>
        <source>Copy</source>
        <translation type="unfinished">Copy</translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="64"/>
        <source>No stream has been published yet.</source>
        <translation type="unfinished">No stream has been published yet.</translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="103"/>
        <source>waiting for publisher</source>
        <translation type="unfinished">waiting for publisher</translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="123"/>
        <source>%1 s of audio</source>
        <translation type="unfinished">%1 s of audio</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="62"/>
        <source>Search this transcript</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="74"/>
        <source>No matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/transcript/TranscriptView.qml" line="76"/>
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="77"/>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="87"/>
        <source>Previous match (Shift+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="97"/>
        <source>Next match (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/transcript/TranscriptView.qml" line="105"/>
        <source>%n utterance(s)</source>
        <translation>
            <numerusform>%n utterance</numerusform>
            <numerusform>%n utterances</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/transcript/TranscriptView.qml" line="111"/>
        <source>Copy %n selected</source>
        <translation>
            <numerusform>Copy %n selected</numerusform>
            <numerusform>Copy %n selected</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="112"/>
        <source>Copy all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="116"/>
        <source>Click a bubble to select it, Shift+click to select a range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="248"/>
        <source>inferred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="257"/>
        <source>Inferred from LiveKit&apos;s active speakers during this utterance: the room mix does not say who speaks, so the name may be wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="288"/>
        <source>%1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/transcript/TranscriptView.qml" line="327"/>
        <source>Jump to live (%n new)</source>
        <translation>
            <numerusform>Jump to live (%n new)</numerusform>
            <numerusform>Jump to live (%n new)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="328"/>
        <source>Jump to live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="343"/>
        <source>No speech transcribed in this room yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="351"/>
        <source>Transcription is off: no Gladia key. Open Settings.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TranscriptsPage</name>
    <message>
        <location filename="../qml/transcript/TranscriptsPage.qml" line="74"/>
        <source>Close the transcript of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptsPage.qml" line="109"/>
        <source>No transcript is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptsPage.qml" line="117"/>
        <source>Open a room from the Rooms view to follow its transcript here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsageView</name>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="56"/>
        <source>LiveKit refuses new egresses until one ends. Queued rooms start as soon as the budget frees up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/usage/UsageView.qml" line="127"/>
        <source>%1 of %n egresses</source>
        <translation>
            <numerusform>%1 of %n egress</numerusform>
            <numerusform>%1 of %n egresses</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/usage/UsageView.qml" line="133"/>
        <source>%n starting</source>
        <translation>
            <numerusform>%n starting</numerusform>
            <numerusform>%n starting</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="145"/>
        <location filename="../qml/usage/UsageView.qml" line="161"/>
        <source>Concurrent egress limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="166"/>
        <source>Set this to the concurrent egress limit of your LiveKit plan. Rooms beyond it wait in the queue below instead of being refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="175"/>
        <source>Room mix (composite): %1    Per speaker (track): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="188"/>
        <source>In use by room</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/usage/UsageView.qml" line="222"/>
        <source>%n egress(es)</source>
        <translation>
            <numerusform>%n egress</numerusform>
            <numerusform>%n egresses</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="231"/>
        <source>No room holds an egress now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="238"/>
        <source>Waiting for the budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="256"/>
        <source>%1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="266"/>
        <source>No room is waiting: every room that wants an egress has one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="274"/>
        <source>Egresses in use, last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="379"/>
        <source>in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="398"/>
        <source>limit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::EgressUsageModel</name>
    <message>
        <location filename="../qml/usage/egressusagemodel.cpp" line="82"/>
        <source>Budget full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/usage/egressusagemodel.cpp" line="83"/>
        <source>Budget full since %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::ExportController</name>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="47"/>
        <source>An export is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="52"/>
        <source>Unknown format &quot;%1&quot;: choose TXT, SRT, VTT or JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="56"/>
        <source>Choose a file on this computer to export to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="70"/>
        <location filename="../qml/export/exportcontroller.cpp" line="75"/>
        <source>Choose a session to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="117"/>
        <source>The export was cancelled; no file was written.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::LatencyModel</name>
    <message numerus="yes">
        <location filename="../qml/latency/latencymodel.cpp" line="173"/>
        <source>Gladia reconnected: %n attempt(s)</source>
        <translation>
            <numerusform>Gladia reconnected: %n attempt</numerusform>
            <numerusform>Gladia reconnected: %n attempts</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="179"/>
        <source>%1 s of audio dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="240"/>
        <source>Chunking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="242"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="244"/>
        <source>Ack round trip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="246"/>
        <source>STT partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="248"/>
        <source>STT final</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="250"/>
        <source>End to end</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::MethodNames</name>
    <message>
        <location filename="../qml/rooms/methodnames.cpp" line="9"/>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/methodnames.cpp" line="11"/>
        <source>Room mix (composite)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/methodnames.cpp" line="13"/>
        <source>Per speaker (track)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/methodnames.cpp" line="15"/>
        <source>Per speaker, no egress (participant)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::RoomListModel</name>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="76"/>
        <source>under a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/roomlistmodel.cpp" line="78"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="79"/>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="180"/>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="184"/>
        <source>Waiting for the room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="188"/>
        <source>No one to transcribe</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/roomlistmodel.cpp" line="196"/>
        <source>Retrying in %n s</source>
        <translation>
            <numerusform>Retrying in %n s</numerusform>
            <numerusform>Retrying in %n s</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="201"/>
        <source>Queued for egress budget (#%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="202"/>
        <source>Queued for egress budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="207"/>
        <source>Starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="212"/>
        <source>Reconnecting to Gladia</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="215"/>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="220"/>
        <source>Stopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="225"/>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="225"/>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::SessionListModel</name>
    <message>
        <location filename="../qml/export/sessionlistmodel.cpp" line="18"/>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/sessionlistmodel.cpp" line="22"/>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/sessionlistmodel.cpp" line="25"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/sessionlistmodel.cpp" line="180"/>
        <source>live</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::SettingsController</name>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="137"/>
        <source>The LiveKit URL must start with https://, http://, wss:// or ws://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="140"/>
        <source>LiveKit needs both the API key and the API secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="144"/>
        <source>The Gladia API URL must start with https:// or http://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="146"/>
        <source>The Gladia region must be us-west or eu-west.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="148"/>
        <source>Give at least one language code, such as ru or en.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="151"/>
        <source>The audio method must be auto, composite or track.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="153"/>
        <source>The egress limit must be between 0 and 10000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="155"/>
        <source>The RTMP address must look like 0.0.0.0:1935.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="157"/>
        <source>The WebSocket address must look like 0.0.0.0:8765, or be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="159"/>
        <source>The webhook address must look like 0.0.0.0:8080, or be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="161"/>
        <source>The public RTMP URL must look like rtmp://host:1935/live.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="164"/>
        <source>The public WebSocket URL must look like wss://host:8765.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="168"/>
        <source>The database is not usable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="170"/>
        <source>The interface language must be English or Russian.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="188"/>
        <source>Settings saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="215"/>
        <source>Enter the LiveKit URL, API key and API secret first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="224"/>
        <location filename="../qml/settings/settingscontroller.cpp" line="263"/>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/settings/settingscontroller.cpp" line="229"/>
        <source>Connected: %n rooms</source>
        <translation>
            <numerusform>Connected: %n room</numerusform>
            <numerusform>Connected: %n rooms</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="231"/>
        <source>No answer from LiveKit: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="234"/>
        <location filename="../qml/settings/settingscontroller.cpp" line="284"/>
        <source>HTTP %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="236"/>
        <source>HTTP %1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="247"/>
        <source>Enter the Gladia API key first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="277"/>
        <source>No answer from Gladia: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="294"/>
        <source>The key works (HTTP %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="311"/>
        <source>The key works (HTTP %1); the test session was closed again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="313"/>
        <source>The key works (HTTP %1), but the test session it opened could not be closed (%2).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::SettingsStore</name>
    <message>
        <location filename="../qml/settings/consolesettings.cpp" line="121"/>
        <source>The secret service refused access to the keys: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/consolesettings.cpp" line="148"/>
        <source>No secret service is available in this session, so keys cannot be stored. Set GLADIA_API_KEY and LIVEKIT_API_KEY/LIVEKIT_API_SECRET in the environment, or use --gladia-key-file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/settings/consolesettings.cpp" line="197"/>
        <source>The settings file could not be written: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::StoreWorker</name>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="56"/>
        <location filename="../qml/export/storeworker.cpp" line="62"/>
        <location filename="../qml/export/storeworker.cpp" line="78"/>
        <location filename="../qml/export/storeworker.cpp" line="87"/>
        <location filename="../qml/export/storeworker.cpp" line="117"/>
        <source>Cannot read the transcripts: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="77"/>
        <source>The database holds no transcripts yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="96"/>
        <source>There is no session %1 in the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="108"/>
        <source>There is no room &quot;%1&quot; in the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="113"/>
        <source>Room &quot;%1&quot; has no session %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="139"/>
        <location filename="../qml/export/storeworker.cpp" line="149"/>
        <location filename="../qml/export/storeworker.cpp" line="155"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::console::TranscriptModel</name>
    <message>
        <location filename="../qml/transcript/transcriptmodel.cpp" line="180"/>
        <source>%1 (inferred)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/transcriptmodel.cpp" line="320"/>
        <source>Room mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/transcript/transcriptmodel.cpp" line="320"/>
        <source>Unknown speaker</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>roomscribe::ingest::RoomSubscriber</name>
    <message>
        <location filename="../engine/ingest/participant/roomsubscriber.cpp" line="155"/>
        <source>joining as a hidden participant</source>
        <translation>joining as a hidden participant</translation>
    </message>
    <message>
        <location filename="../engine/ingest/participant/roomsubscriber.cpp" line="178"/>
        <source>setting up media</source>
        <translation>setting up media</translation>
    </message>
    <message>
        <location filename="../engine/ingest/participant/roomsubscriber.cpp" line="250"/>
        <source>WebRTC cannot start: %1</source>
        <translation>WebRTC cannot start: %1</translation>
    </message>
    <message>
        <location filename="../engine/ingest/participant/roomsubscriber.cpp" line="357"/>
        <source>no media from LiveKit within %1 s (is UDP to its media server blocked?)</source>
        <translation>no media from LiveKit within %1 s (is UDP to its media server blocked?)</translation>
    </message>
</context>
<context>
    <name>roomscribe::routing::EgressRouter</name>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="290"/>
        <source>the egress failed: %1</source>
        <translation>the egress failed: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="326"/>
        <source>cannot join the room: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="381"/>
        <location filename="../engine/routing/egressrouter.cpp" line="401"/>
        <source>cannot take the room without egress: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="480"/>
        <source>LiveKit has no such room yet</source>
        <translation>LiveKit has no such room yet</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="516"/>
        <source>nobody in the room publishes a microphone</source>
        <translation>nobody in the room publishes a microphone</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="554"/>
        <source>waiting for the egress budget: LiveKit&apos;s limit is reached</source>
        <translation>waiting for the egress budget: LiveKit&apos;s limit is reached</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="555"/>
        <source>waiting for the egress budget: %1 of %2 in use</source>
        <translation>waiting for the egress budget: %1 of %2 in use</translation>
    </message>
    <message numerus="yes">
        <location filename="../engine/routing/egressrouter.cpp" line="564"/>
        <source>%n speaker(s) wait for the egress budget</source>
        <translation>
            <numerusform>%n speaker waits for the egress budget</numerusform>
            <numerusform>%n speakers wait for the egress budget</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="591"/>
        <source>the ingest cannot take the stream: %1</source>
        <translation>the ingest cannot take the stream: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="650"/>
        <source>the egress did not start: %1</source>
        <translation>the egress did not start: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="721"/>
        <source>%1; retrying in %2 s</source>
        <translation>%1; retrying in %2 s</translation>
    </message>
</context>
<context>
    <name>roomscribe::routing::IngestStreamPort</name>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="42"/>
        <source>joining rooms without egress is off (no LiveKit URL for the ingest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="87"/>
        <source>the RTMP server refused a new stream</source>
        <translation>the RTMP server refused a new stream</translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="101"/>
        <source>the Track Egress endpoint is off (--ws-listen)</source>
        <translation>the Track Egress endpoint is off (--ws-listen)</translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="113"/>
        <source>the ingest refused stream key %1 again</source>
        <translation>the ingest refused stream key %1 again</translation>
    </message>
</context>
</TS>
