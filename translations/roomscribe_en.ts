<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/main/Main.qml" line="14"/>
        <source>Roomscribe</source>
        <translation>Roomscribe</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="27"/>
        <source>RTMP ingest</source>
        <translation>RTMP ingest</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/main/Main.qml" line="31"/>
        <source>%n publishing</source>
        <translation>
            <numerusform>%n publishing</numerusform>
            <numerusform>%n publishing</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="47"/>
        <source>Publish room audio (AAC in FLV over RTMP) to:</source>
        <translation>Publish room audio (AAC in FLV over RTMP) to:</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="61"/>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="74"/>
        <source>No stream has been published yet.</source>
        <translation>No stream has been published yet.</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="113"/>
        <source>waiting for publisher</source>
        <translation>waiting for publisher</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="133"/>
        <source>%1 s of audio</source>
        <translation>%1 s of audio</translation>
    </message>
</context>
<context>
    <name>StreamListModel</name>
    <message numerus="yes">
        <location filename="../qml/main/streamlistmodel.cpp" line="32"/>
        <source>AAC %1 kHz, %n channel(s)</source>
        <translation>
            <numerusform>AAC %1 kHz, %n channel</numerusform>
            <numerusform>AAC %1 kHz, %n channels</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/streamlistmodel.cpp" line="108"/>
        <source>chunk latency p50 %1 ms, p99 %2 ms</source>
        <translation>chunk latency p50 %1 ms, p99 %2 ms</translation>
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
        <location filename="../engine/routing/egressrouter.cpp" line="375"/>
        <source>LiveKit has no such room yet</source>
        <translation>LiveKit has no such room yet</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="401"/>
        <source>nobody in the room publishes a microphone</source>
        <translation>nobody in the room publishes a microphone</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="436"/>
        <source>waiting for the egress budget: LiveKit&apos;s limit is reached</source>
        <translation>waiting for the egress budget: LiveKit&apos;s limit is reached</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="437"/>
        <source>waiting for the egress budget: %1 of %2 in use</source>
        <translation>waiting for the egress budget: %1 of %2 in use</translation>
    </message>
    <message numerus="yes">
        <location filename="../engine/routing/egressrouter.cpp" line="446"/>
        <source>%n speaker(s) wait for the egress budget</source>
        <translation>
            <numerusform>%n speaker waits for the egress budget</numerusform>
            <numerusform>%n speakers wait for the egress budget</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="473"/>
        <source>the ingest cannot take the stream: %1</source>
        <translation>the ingest cannot take the stream: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="532"/>
        <source>the egress did not start: %1</source>
        <translation>the egress did not start: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="602"/>
        <source>%1; retrying in %2 s</source>
        <translation>%1; retrying in %2 s</translation>
    </message>
</context>
<context>
    <name>roomscribe::routing::IngestStreamPort</name>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="50"/>
        <source>the RTMP server refused a new stream</source>
        <translation>the RTMP server refused a new stream</translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="64"/>
        <source>the Track Egress endpoint is off (--ws-listen)</source>
        <translation>the Track Egress endpoint is off (--ws-listen)</translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="76"/>
        <source>the ingest refused stream key %1 again</source>
        <translation>the ingest refused stream key %1 again</translation>
    </message>
</context>
</TS>
