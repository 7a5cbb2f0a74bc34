<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/main/Main.qml" line="14"/>
        <source>Roomscribe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="27"/>
        <source>RTMP ingest</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/main/Main.qml" line="31"/>
        <source>%n publishing</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="47"/>
        <source>Publish room audio (AAC in FLV over RTMP) to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="61"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="74"/>
        <source>No stream has been published yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="113"/>
        <source>waiting for publisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="133"/>
        <source>%1 s of audio</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamListModel</name>
    <message numerus="yes">
        <location filename="../qml/main/streamlistmodel.cpp" line="31"/>
        <source>AAC %1 kHz, %n channel(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/streamlistmodel.cpp" line="103"/>
        <source>chunk latency p50 %1 ms, p99 %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
