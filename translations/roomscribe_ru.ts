<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
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
        <translation>Приём RTMP</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/main/Main.qml" line="31"/>
        <source>%n publishing</source>
        <translation>
            <numerusform>%n публикует</numerusform>
            <numerusform>%n публикуют</numerusform>
            <numerusform>%n публикуют</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="47"/>
        <source>Publish room audio (AAC in FLV over RTMP) to:</source>
        <translation>Публикуйте звук комнаты (AAC во FLV по RTMP) на адрес:</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="61"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="74"/>
        <source>No stream has been published yet.</source>
        <translation>Пока ни один поток не опубликован.</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="113"/>
        <source>waiting for publisher</source>
        <translation>ждёт публикации</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="133"/>
        <source>%1 s of audio</source>
        <translation>%1 с звука</translation>
    </message>
</context>
<context>
    <name>StreamListModel</name>
    <message numerus="yes">
        <location filename="../qml/main/streamlistmodel.cpp" line="32"/>
        <source>AAC %1 kHz, %n channel(s)</source>
        <translation>
            <numerusform>AAC %1 кГц, %n канал</numerusform>
            <numerusform>AAC %1 кГц, %n канала</numerusform>
            <numerusform>AAC %1 кГц, %n каналов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/streamlistmodel.cpp" line="108"/>
        <source>chunk latency p50 %1 ms, p99 %2 ms</source>
        <translation>задержка блоков p50 %1 мс, p99 %2 мс</translation>
    </message>
</context>
<context>
    <name>roomscribe::routing::EgressRouter</name>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="290"/>
        <source>the egress failed: %1</source>
        <translation>egress завершился с ошибкой: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="375"/>
        <source>LiveKit has no such room yet</source>
        <translation>в LiveKit пока нет такой комнаты</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="401"/>
        <source>nobody in the room publishes a microphone</source>
        <translation>в комнате никто не публикует микрофон</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="436"/>
        <source>waiting for the egress budget: LiveKit&apos;s limit is reached</source>
        <translation>ждёт квоты egress: лимит LiveKit исчерпан</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="437"/>
        <source>waiting for the egress budget: %1 of %2 in use</source>
        <translation>ждёт квоты egress: занято %1 из %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../engine/routing/egressrouter.cpp" line="446"/>
        <source>%n speaker(s) wait for the egress budget</source>
        <translation>
            <numerusform>%n говорящий ждёт квоты egress</numerusform>
            <numerusform>%n говорящих ждут квоты egress</numerusform>
            <numerusform>%n говорящих ждут квоты egress</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="473"/>
        <source>the ingest cannot take the stream: %1</source>
        <translation>приём не может принять поток: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="532"/>
        <source>the egress did not start: %1</source>
        <translation>egress не запустился: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="602"/>
        <source>%1; retrying in %2 s</source>
        <translation>%1; повтор через %2 с</translation>
    </message>
</context>
<context>
    <name>roomscribe::routing::IngestStreamPort</name>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="50"/>
        <source>the RTMP server refused a new stream</source>
        <translation>RTMP-сервер отказал в новом потоке</translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="64"/>
        <source>the Track Egress endpoint is off (--ws-listen)</source>
        <translation>приём Track Egress выключен (--ws-listen)</translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="76"/>
        <source>the ingest refused stream key %1 again</source>
        <translation>приём повторно отказал ключу потока %1</translation>
    </message>
</context>
</TS>
