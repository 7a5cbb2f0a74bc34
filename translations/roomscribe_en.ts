<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/main/Main.qml" line="14" />
        <source>Roomscribe</source>
        <translation>Roomscribe</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="27" />
        <source>RTMP ingest</source>
        <translation>RTMP ingest</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/main/Main.qml" line="31" />
        <source>%n publishing</source>
        <translation>
            <numerusform>%n publishing</numerusform>
            <numerusform>%n publishing</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="47" />
        <source>Publish room audio (AAC in FLV over RTMP) to:</source>
        <translation>Publish room audio (AAC in FLV over RTMP) to:</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="61" />
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="74" />
        <source>No stream has been published yet.</source>
        <translation>No stream has been published yet.</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="113" />
        <source>waiting for publisher</source>
        <translation>waiting for publisher</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="133" />
        <source>%1 s of audio</source>
        <translation>%1 s of audio</translation>
    </message>
</context>
<context>
    <name>StreamListModel</name>
    <message numerus="yes">
        <location filename="../qml/main/streamlistmodel.cpp" line="32" />
        <source>AAC %1 kHz, %n channel(s)</source>
        <translation>
            <numerusform>AAC %1 kHz, %n channel</numerusform>
            <numerusform>AAC %1 kHz, %n channels</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/streamlistmodel.cpp" line="104" />
        <source>chunk latency p50 %1 ms, p99 %2 ms</source>
        <translation>chunk latency p50 %1 ms, p99 %2 ms</translation>
    </message>
</context>
</TS>