<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
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
        <translation>Приём RTMP</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/main/Main.qml" line="31" />
        <source>%n publishing</source>
        <translation>
            <numerusform>%n публикует</numerusform>
            <numerusform>%n публикуют</numerusform>
            <numerusform>%n публикуют</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="47" />
        <source>Publish room audio (AAC in FLV over RTMP) to:</source>
        <translation>Публикуйте звук комнаты (AAC во FLV по RTMP) на адрес:</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="61" />
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="74" />
        <source>No stream has been published yet.</source>
        <translation>Пока ни один поток не опубликован.</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="113" />
        <source>waiting for publisher</source>
        <translation>ждёт публикации</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="133" />
        <source>%1 s of audio</source>
        <translation>%1 с звука</translation>
    </message>
</context>
<context>
    <name>StreamListModel</name>
    <message numerus="yes">
        <location filename="../qml/main/streamlistmodel.cpp" line="32" />
        <source>AAC %1 kHz, %n channel(s)</source>
        <translation>
            <numerusform>AAC %1 кГц, %n канал</numerusform>
            <numerusform>AAC %1 кГц, %n канала</numerusform>
            <numerusform>AAC %1 кГц, %n каналов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/streamlistmodel.cpp" line="104" />
        <source>chunk latency p50 %1 ms, p99 %2 ms</source>
        <translation>задержка блоков p50 %1 мс, p99 %2 мс</translation>
    </message>
</context>
</TS>