<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ExportView</name>
    <message>
        <location filename="../qml/export/ExportView.qml" line="46"/>
        <source>Export transcript</source>
        <translation>Экспорт расшифровки</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="61"/>
        <source>Room</source>
        <translation>Комната</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="67"/>
        <source>All rooms</source>
        <translation>Все комнаты</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="73"/>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="144"/>
        <source>live</source>
        <translation>идёт</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/export/ExportView.qml" line="157"/>
        <source>%1, running for %2 · %n segments</source>
        <translation>
            <numerusform>%1, идёт %2 · %n сегмент</numerusform>
            <numerusform>%1, идёт %2 · %n сегмента</numerusform>
            <numerusform>%1, идёт %2 · %n сегментов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/export/ExportView.qml" line="158"/>
        <source>%1 to %2 (%3) · %n segments</source>
        <translation>
            <numerusform>%1 — %2 (%3) · %n сегмент</numerusform>
            <numerusform>%1 — %2 (%3) · %n сегмента</numerusform>
            <numerusform>%1 — %2 (%3) · %n сегментов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="171"/>
        <source>No transcripts yet. A room&apos;s session appears here once Roomscribe has transcribed something in it.</source>
        <translation>Расшифровок пока нет. Сеанс комнаты появится здесь, как только Roomscribe что-нибудь в ней расшифрует.</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="172"/>
        <source>No room matches “%1”.</source>
        <translation>Нет комнат, подходящих под «%1».</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="184"/>
        <source>Text (TXT)</source>
        <translation>Текст (TXT)</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="184"/>
        <source>Text files (*.txt)</source>
        <translation>Текстовые файлы (*.txt)</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="185"/>
        <source>Readable paragraphs with times and speakers.</source>
        <translation>Удобные для чтения абзацы с временем и говорящими.</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="186"/>
        <source>Subtitles (SRT)</source>
        <translation>Субтитры (SRT)</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="186"/>
        <source>SubRip subtitles (*.srt)</source>
        <translation>Субтитры SubRip (*.srt)</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="187"/>
        <source>Subtitles for video players and editors.</source>
        <translation>Субтитры для видеоплееров и видеоредакторов.</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="188"/>
        <source>Web subtitles (VTT)</source>
        <translation>Веб-субтитры (VTT)</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="188"/>
        <source>WebVTT subtitles (*.vtt)</source>
        <translation>Субтитры WebVTT (*.vtt)</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="189"/>
        <source>Subtitles for web video, with speaker names.</source>
        <translation>Субтитры для веб-видео с именами говорящих.</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="190"/>
        <source>Data (JSON)</source>
        <translation>Данные (JSON)</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="190"/>
        <source>JSON files (*.json)</source>
        <translation>Файлы JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="191"/>
        <source>Everything stored, with word timings, for programs.</source>
        <translation>Все сохранённые данные с таймингами слов — для обработки программами.</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="196"/>
        <source>Format</source>
        <translation>Формат</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="229"/>
        <source>Session: %1, %2</source>
        <translation>Сеанс: %1, %2</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="230"/>
        <source>Choose a session in the list.</source>
        <translation>Выберите сеанс в списке.</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="237"/>
        <source>Export…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="247"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="278"/>
        <source>Saved to %1</source>
        <translation>Сохранено в %1</translation>
    </message>
    <message>
        <location filename="../qml/export/ExportView.qml" line="282"/>
        <source>Open folder</source>
        <translation>Открыть папку</translation>
    </message>
</context>
<context>
    <name>FirstRunView</name>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="41"/>
        <source>Welcome to Roomscribe</source>
        <translation>Добро пожаловать в Roomscribe</translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="49"/>
        <source>Roomscribe transcribes LiveKit rooms as people speak. It needs two things:</source>
        <translation>Roomscribe расшифровывает речь в комнатах LiveKit прямо во время разговора. Для работы нужны две вещи:</translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="55"/>
        <source>• your LiveKit server&apos;s URL with an API key and secret, to see the rooms and take their audio;</source>
        <translation>• адрес вашего сервера LiveKit с ключом и секретом API — чтобы видеть комнаты и получать их звук;</translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="61"/>
        <source>• a Gladia API key, to turn the speech into text.</source>
        <translation>• ключ API Gladia — чтобы превращать речь в текст.</translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="72"/>
        <source>LiveKit</source>
        <translation>LiveKit</translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="81"/>
        <source>Gladia</source>
        <translation>Gladia</translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="101"/>
        <source>Save and start</source>
        <translation>Сохранить и начать</translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="102"/>
        <source>Start without storing keys</source>
        <translation>Начать без сохранения ключей</translation>
    </message>
    <message>
        <location filename="../qml/settings/FirstRunView.qml" line="125"/>
        <source>Skip: only receive RTMP streams</source>
        <translation>Пропустить: только приём потоков RTMP</translation>
    </message>
</context>
<context>
    <name>GladiaFields</name>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="15"/>
        <source>API key</source>
        <translation>Ключ API</translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="22"/>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="30"/>
        <source>Gladia&apos;s default</source>
        <translation>По умолчанию Gladia</translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="31"/>
        <source>Europe (eu-west)</source>
        <translation>Европа (eu-west)</translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="32"/>
        <source>United States (us-west)</source>
        <translation>США (us-west)</translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="37"/>
        <source>Languages</source>
        <translation>Языки</translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="47"/>
        <source>API URL</source>
        <translation>Адрес API</translation>
    </message>
    <message>
        <location filename="../qml/settings/GladiaFields.qml" line="61"/>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
</context>
<context>
    <name>LatencyView</name>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="27"/>
        <location filename="../qml/latency/LatencyView.qml" line="288"/>
        <location filename="../qml/latency/LatencyView.qml" line="304"/>
        <source>%1 ms</source>
        <translation>%1 мс</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="27"/>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="70"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="98"/>
        <source>Chunking</source>
        <translation>Нарезка</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="99"/>
        <source>Send</source>
        <translation>Отправка</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="100"/>
        <source>STT final</source>
        <translation>Итоговое распознавание</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="101"/>
        <source>Ack round trip</source>
        <translation>Подтверждение приёма</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="102"/>
        <source>STT partial</source>
        <translation>Промежуточное распознавание</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="128"/>
        <source>End to end</source>
        <translation>Сквозная задержка</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="141"/>
        <source>Gladia reconnect</source>
        <translation>Переподключение к Gladia</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="154"/>
        <source>Audio dropped</source>
        <translation>Потеря звука</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="162"/>
        <source>Bars stack the stages a final passes through (last minute); the line marks end to end latency, from the utterance&apos;s last audio to its transcript.</source>
        <translation>Столбцы складываются из этапов, которые проходит итоговый результат (за последнюю минуту); линия — сквозная задержка от последнего звука реплики до её текста.</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="242"/>
        <source>End to end p50 %1</source>
        <translation>Сквозная задержка p50 %1</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="243"/>
        <source>End to end: no finals yet</source>
        <translation>Сквозная задержка: итогов пока нет</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="249"/>
        <source>End to end p95 %1</source>
        <translation>Сквозная задержка p95 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/latency/LatencyView.qml" line="256"/>
        <source>%n reconnect(s), %1 s dropped</source>
        <translation>
            <numerusform>%n переподключение, потеряно %1 с</numerusform>
            <numerusform>%n переподключения, потеряно %1 с</numerusform>
            <numerusform>%n переподключений, потеряно %1 с</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/latency/LatencyView.qml" line="263"/>
        <source>%n stream(s)</source>
        <translation>
            <numerusform>%n поток</numerusform>
            <numerusform>%n потока</numerusform>
            <numerusform>%n потоков</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="275"/>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="291"/>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="316"/>
        <source>%1 %2 / %3</source>
        <translation>%1 %2 / %3</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="330"/>
        <source>End to end, last 15 min</source>
        <translation>Сквозная задержка, последние 15 мин</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="378"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="385"/>
        <source>Peak p50 %1</source>
        <translation>Пик p50 %1</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="387"/>
        <source>No history yet</source>
        <translation>Истории пока нет</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="406"/>
        <source>No room is streaming audio.</source>
        <translation>Ни одна комната не передаёт звук.</translation>
    </message>
    <message>
        <location filename="../qml/latency/LatencyView.qml" line="414"/>
        <source>Start a room from the Rooms view: its latencies appear here once its audio reaches the engine.</source>
        <translation>Запустите комнату на вкладке «Комнаты»: её задержки появятся здесь, как только звук дойдёт до распознавания.</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <location filename="../qml/rooms/LevelMeter.qml" line="23"/>
        <source>Level %1 dBFS</source>
        <translation>Уровень %1 dBFS</translation>
    </message>
</context>
<context>
    <name>LiveKitFields</name>
    <message>
        <location filename="../qml/settings/LiveKitFields.qml" line="14"/>
        <source>Server URL</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <location filename="../qml/settings/LiveKitFields.qml" line="20"/>
        <source>API key</source>
        <translation>Ключ API</translation>
    </message>
    <message>
        <location filename="../qml/settings/LiveKitFields.qml" line="25"/>
        <source>API secret</source>
        <translation>Секрет API</translation>
    </message>
    <message>
        <location filename="../qml/settings/LiveKitFields.qml" line="38"/>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
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
        <translation>LiveKit подключён</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="59"/>
        <source>No LiveKit server</source>
        <translation>Нет сервера LiveKit</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="63"/>
        <source>Transcription on</source>
        <translation>Расшифровка включена</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="64"/>
        <source>Transcription off: no Gladia key</source>
        <translation>Расшифровка выключена: нет ключа Gladia</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="69"/>
        <source>Egress %1 of %2</source>
        <translation>Эгрессы: %1 из %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/main/Main.qml" line="74"/>
        <source>%n live room(s)</source>
        <translation>
            <numerusform>%n активная комната</numerusform>
            <numerusform>%n активные комнаты</numerusform>
            <numerusform>%n активных комнат</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="105"/>
        <source>Rooms</source>
        <translation>Комнаты</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="106"/>
        <source>Egress usage</source>
        <translation>Расход эгрессов</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="107"/>
        <source>Transcripts</source>
        <translation>Расшифровки</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="108"/>
        <source>Latency</source>
        <translation>Задержки</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="109"/>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="110"/>
        <source>Streams</source>
        <translation>Потоки</translation>
    </message>
    <message>
        <location filename="../qml/main/Main.qml" line="111"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>RTMP ingest</source>
        <translation type="vanished">Приём RTMP</translation>
    </message>
    <message numerus="yes">
        <source>%n publishing</source>
        <translation type="vanished">
            <numerusform>%n публикует</numerusform>
            <numerusform>%n публикуют</numerusform>
            <numerusform>%n публикуют</numerusform>
        </translation>
    </message>
    <message>
        <source>Publish room audio (AAC in FLV over RTMP) to:</source>
        <translation type="vanished">Публикуйте звук комнаты (AAC во FLV по RTMP) на адрес:</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="vanished">Копировать</translation>
    </message>
    <message>
        <source>No stream has been published yet.</source>
        <translation type="vanished">Пока ни один поток не опубликован.</translation>
    </message>
    <message>
        <source>waiting for publisher</source>
        <translation type="vanished">ждёт публикации</translation>
    </message>
    <message>
        <source>%1 s of audio</source>
        <translation type="vanished">%1 с звука</translation>
    </message>
</context>
<context>
    <name>RoomsView</name>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="66"/>
        <source>Filter rooms by name</source>
        <translation>Фильтр по названию комнаты</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="73"/>
        <source>Sort by</source>
        <translation>Сортировка</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="82"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="83"/>
        <source>Participants</source>
        <translation>Участники</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="84"/>
        <source>Age</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="85"/>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="95"/>
        <source>Ascending</source>
        <translation>По возрастанию</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="95"/>
        <source>Descending</source>
        <translation>По убыванию</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/RoomsView.qml" line="170"/>
        <source>%n participant(s)</source>
        <translation>
            <numerusform>%n участник</numerusform>
            <numerusform>%n участника</numerusform>
            <numerusform>%n участников</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/RoomsView.qml" line="171"/>
        <source>%n speaking</source>
        <translation>
            <numerusform>%n говорящий</numerusform>
            <numerusform>%n говорящих</numerusform>
            <numerusform>%n говорящих</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="229"/>
        <source>How to take this room&apos;s audio when it starts</source>
        <translation>Как получать звук комнаты после запуска</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="234"/>
        <source>Start</source>
        <translation>Старт</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="240"/>
        <source>Stop</source>
        <translation>Стоп</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="246"/>
        <source>Transcript</source>
        <translation>Расшифровка</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="263"/>
        <source>No LiveKit server is configured. Open Settings to connect one.</source>
        <translation>Сервер LiveKit не настроен. Подключите его в настройках.</translation>
    </message>
    <message>
        <location filename="../qml/rooms/RoomsView.qml" line="265"/>
        <source>LiveKit reports no rooms yet. Rooms appear here as soon as someone joins.</source>
        <translation>LiveKit пока не сообщает ни о каких комнатах. Комнаты появятся здесь, как только кто-нибудь подключится.</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/RoomsView.qml" line="267"/>
        <source>No room name contains “%1”. Clear the filter to see all %n room(s).</source>
        <translation>
            <numerusform>Ни одно название комнаты не содержит «%1». Сбросьте фильтр, чтобы увидеть все комнаты (%n).</numerusform>
            <numerusform>Ни одно название комнаты не содержит «%1». Сбросьте фильтр, чтобы увидеть все комнаты (%n).</numerusform>
            <numerusform>Ни одно название комнаты не содержит «%1». Сбросьте фильтр, чтобы увидеть все комнаты (%n).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SecretField</name>
    <message>
        <location filename="../qml/settings/SecretField.qml" line="24"/>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
</context>
<context>
    <name>SecretsNotice</name>
    <message>
        <location filename="../qml/settings/SecretsNotice.qml" line="22"/>
        <source>Keys cannot be stored</source>
        <translation>Ключи невозможно сохранить</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="52"/>
        <source>LiveKit</source>
        <translation>LiveKit</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="61"/>
        <source>Gladia</source>
        <translation>Gladia</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="71"/>
        <source>Routing</source>
        <translation>Маршрутизация</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="73"/>
        <source>Audio method</source>
        <translation>Получение звука</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="vanished">Автоматически</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="81"/>
        <source>Room mix (composite)</source>
        <translation>Общий микс</translation>
    </message>
    <message>
        <source>Each participant&apos;s track</source>
        <translation type="vanished">По дорожкам (каждый говорящий)</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="80"/>
        <source>Auto</source>
        <translation>Авто</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="82"/>
        <source>Per speaker (track)</source>
        <translation>По дорожкам (каждый говорящий)</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="89"/>
        <source>Automatic takes the room mix when two or more people talk, and the single track when one does.</source>
        <translation>В автоматическом режиме используется общий микс, когда говорят двое и больше, и отдельная дорожка, когда говорит один.</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="91"/>
        <source>Egress limit</source>
        <translation>Лимит эгрессов</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="102"/>
        <source>How many egresses your LiveKit plan allows at once (2 on the free plan).</source>
        <translation>Сколько эгрессов одновременно разрешает ваш тариф LiveKit (на бесплатном — 2).</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="108"/>
        <source>Transcribe every new room automatically</source>
        <translation>Автоматически расшифровывать каждую новую комнату</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="116"/>
        <source>Network</source>
        <translation>Сеть</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="118"/>
        <source>RTMP listens on</source>
        <translation>Адрес приёма RTMP</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="120"/>
        <source>Public RTMP URL</source>
        <translation>Публичный адрес RTMP</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="122"/>
        <source>Track audio listens on</source>
        <translation>Адрес приёма дорожек</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="123"/>
        <source>off, e.g. 0.0.0.0:8765</source>
        <translation>выкл., напр. 0.0.0.0:8765</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="124"/>
        <source>Public track audio URL</source>
        <translation>Публичный адрес дорожек</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="126"/>
        <source>Webhooks listen on</source>
        <translation>Адрес приёма вебхуков</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="127"/>
        <source>off, e.g. 0.0.0.0:8080</source>
        <translation>выкл., напр. 0.0.0.0:8080</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="130"/>
        <source>The public URLs are what LiveKit&apos;s egress dials to send audio here; leave them empty to use this machine&apos;s address.</source>
        <translation>К публичным адресам подключается эгресс LiveKit, чтобы передавать сюда звук; оставьте их пустыми, чтобы использовать адрес этого компьютера.</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="136"/>
        <source>Database</source>
        <translation>База данных</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="138"/>
        <source>Transcripts</source>
        <translation>Расшифровки</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="139"/>
        <source>the default SQLite file</source>
        <translation>файл SQLite по умолчанию</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="142"/>
        <source>A SQLite file path, or postgresql://user@host:5432/database. A password written in the URL is stored in the settings file as plain text.</source>
        <translation>Путь к файлу SQLite или postgresql://user@host:5432/database. Пароль, указанный в адресе, хранится в файле настроек открытым текстом.</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="148"/>
        <source>Interface language</source>
        <translation>Язык интерфейса</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="150"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="157"/>
        <source>System</source>
        <translation>Системный</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="181"/>
        <source>Changes take effect after restart.</source>
        <translation>Изменения вступят в силу после перезапуска.</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="186"/>
        <source>Restart</source>
        <translation>Перезапустить</translation>
    </message>
    <message>
        <location filename="../qml/settings/SettingsView.qml" line="198"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
</context>
<context>
    <name>StreamListModel</name>
    <message numerus="yes">
        <location filename="../qml/main/streamlistmodel.cpp" line="26"/>
        <source>AAC %1 kHz, %n channel(s)</source>
        <translation>
            <numerusform>AAC %1 кГц, %n канал</numerusform>
            <numerusform>AAC %1 кГц, %n канала</numerusform>
            <numerusform>AAC %1 кГц, %n каналов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/streamlistmodel.cpp" line="92"/>
        <source>chunk latency p50 %1 ms, p99 %2 ms</source>
        <translation>задержка блоков p50 %1 мс, p99 %2 мс</translation>
    </message>
</context>
<context>
    <name>StreamsView</name>
    <message numerus="yes">
        <location filename="../qml/main/StreamsView.qml" line="25"/>
        <source>%n publishing</source>
        <translation>
            <numerusform>%n поток публикуется</numerusform>
            <numerusform>%n потока публикуются</numerusform>
            <numerusform>%n потоков публикуются</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="36"/>
        <source>Publish room audio (AAC in FLV over RTMP) to:</source>
        <translation>Публикуйте звук комнаты (AAC во FLV по RTMP) на адрес:</translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="51"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="64"/>
        <source>No stream has been published yet.</source>
        <translation>Пока ни один поток не опубликован.</translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="103"/>
        <source>waiting for publisher</source>
        <translation>ждёт публикации</translation>
    </message>
    <message>
        <location filename="../qml/main/StreamsView.qml" line="123"/>
        <source>%1 s of audio</source>
        <translation>звук: %1 с</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="62"/>
        <source>Search this transcript</source>
        <translation>Поиск по расшифровке</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="74"/>
        <source>No matches</source>
        <translation>Нет совпадений</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/transcript/TranscriptView.qml" line="76"/>
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n совпадение</numerusform>
            <numerusform>%n совпадения</numerusform>
            <numerusform>%n совпадений</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="77"/>
        <source>%1 of %2</source>
        <translation>%1 из %2</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="87"/>
        <source>Previous match (Shift+Enter)</source>
        <translation>Предыдущее совпадение (Shift+Enter)</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="97"/>
        <source>Next match (Enter)</source>
        <translation>Следующее совпадение (Enter)</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/transcript/TranscriptView.qml" line="105"/>
        <source>%n utterance(s)</source>
        <translation>
            <numerusform>%n реплика</numerusform>
            <numerusform>%n реплики</numerusform>
            <numerusform>%n реплик</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/transcript/TranscriptView.qml" line="111"/>
        <source>Copy %n selected</source>
        <translation>
            <numerusform>Копировать выделенное (%n)</numerusform>
            <numerusform>Копировать выделенное (%n)</numerusform>
            <numerusform>Копировать выделенное (%n)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="112"/>
        <source>Copy all</source>
        <translation>Копировать всё</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="116"/>
        <source>Click a bubble to select it, Shift+click to select a range</source>
        <translation>Щёлкните по реплике, чтобы выделить её; Shift+щелчок выделяет диапазон</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="248"/>
        <source>inferred</source>
        <translation>предположительно</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="257"/>
        <source>Inferred from LiveKit&apos;s active speakers during this utterance: the room mix does not say who speaks, so the name may be wrong.</source>
        <translation>Определено по активным говорящим LiveKit во время этой фразы: общий звук комнаты не сообщает, кто говорит, поэтому имя может быть неверным.</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="288"/>
        <source>%1 …</source>
        <translation>%1 …</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/transcript/TranscriptView.qml" line="327"/>
        <source>Jump to live (%n new)</source>
        <translation>
            <numerusform>К последним репликам (%n новая)</numerusform>
            <numerusform>К последним репликам (%n новые)</numerusform>
            <numerusform>К последним репликам (%n новых)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="328"/>
        <source>Jump to live</source>
        <translation>К последним репликам</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="343"/>
        <source>No speech transcribed in this room yet.</source>
        <translation>В этой комнате пока ничего не расшифровано.</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptView.qml" line="351"/>
        <source>Transcription is off: no Gladia key. Open Settings.</source>
        <translation>Расшифровка выключена: нет ключа Gladia. Откройте настройки.</translation>
    </message>
</context>
<context>
    <name>TranscriptsPage</name>
    <message>
        <location filename="../qml/transcript/TranscriptsPage.qml" line="74"/>
        <source>Close the transcript of %1</source>
        <translation>Закрыть расшифровку комнаты %1</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptsPage.qml" line="109"/>
        <source>No transcript is open.</source>
        <translation>Нет открытых расшифровок.</translation>
    </message>
    <message>
        <location filename="../qml/transcript/TranscriptsPage.qml" line="117"/>
        <source>Open a room from the Rooms view to follow its transcript here.</source>
        <translation>Откройте расшифровку комнаты на вкладке «Комнаты», чтобы следить за ней здесь.</translation>
    </message>
</context>
<context>
    <name>UsageView</name>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="56"/>
        <source>LiveKit refuses new egresses until one ends. Queued rooms start as soon as the budget frees up.</source>
        <translation>LiveKit не запускает новые эгрессы, пока не завершится один из текущих. Комнаты из очереди запустятся, как только освободится квота.</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/usage/UsageView.qml" line="127"/>
        <source>%1 of %n egresses</source>
        <translation>
            <numerusform>%1 из %n эгресса</numerusform>
            <numerusform>%1 из %n эгрессов</numerusform>
            <numerusform>%1 из %n эгрессов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/usage/UsageView.qml" line="133"/>
        <source>%n starting</source>
        <translation>
            <numerusform>%n запускается</numerusform>
            <numerusform>%n запускаются</numerusform>
            <numerusform>%n запускаются</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="145"/>
        <location filename="../qml/usage/UsageView.qml" line="161"/>
        <source>Concurrent egress limit</source>
        <translation>Лимит одновременных эгрессов</translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="166"/>
        <source>Set this to the concurrent egress limit of your LiveKit plan. Rooms beyond it wait in the queue below instead of being refused.</source>
        <translation>Укажите лимит одновременных эгрессов вашего тарифа LiveKit. Комнаты сверх лимита ждут в очереди ниже, а не получают отказ.</translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="175"/>
        <source>Room mix (composite): %1    Per speaker (track): %2</source>
        <translation>Общий микс: %1    По дорожкам (каждый говорящий): %2</translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="188"/>
        <source>In use by room</source>
        <translation>Заняты комнатами</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/usage/UsageView.qml" line="222"/>
        <source>%n egress(es)</source>
        <translation>
            <numerusform>%n эгресс</numerusform>
            <numerusform>%n эгресса</numerusform>
            <numerusform>%n эгрессов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="231"/>
        <source>No room holds an egress now.</source>
        <translation>Сейчас ни одна комната не занимает эгресс.</translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="238"/>
        <source>Waiting for the budget</source>
        <translation>Ожидают квоты</translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="256"/>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="266"/>
        <source>No room is waiting: every room that wants an egress has one.</source>
        <translation>Очереди нет: все комнаты, которым нужен эгресс, его получили.</translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="274"/>
        <source>Egresses in use, last hour</source>
        <translation>Занятые эгрессы за последний час</translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="379"/>
        <source>in use</source>
        <translation>занято</translation>
    </message>
    <message>
        <location filename="../qml/usage/UsageView.qml" line="398"/>
        <source>limit</source>
        <translation>лимит</translation>
    </message>
</context>
<context>
    <name>roomscribe::console::EgressUsageModel</name>
    <message>
        <location filename="../qml/usage/egressusagemodel.cpp" line="82"/>
        <source>Budget full</source>
        <translation>Квота исчерпана</translation>
    </message>
    <message>
        <location filename="../qml/usage/egressusagemodel.cpp" line="83"/>
        <source>Budget full since %1</source>
        <translation>Квота исчерпана с %1</translation>
    </message>
</context>
<context>
    <name>roomscribe::console::ExportController</name>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="47"/>
        <source>An export is already running.</source>
        <translation>Экспорт уже выполняется.</translation>
    </message>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="52"/>
        <source>Unknown format &quot;%1&quot;: choose TXT, SRT, VTT or JSON.</source>
        <translation>Неизвестный формат «%1»: выберите TXT, SRT, VTT или JSON.</translation>
    </message>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="56"/>
        <source>Choose a file on this computer to export to.</source>
        <translation>Выберите файл на этом компьютере для экспорта.</translation>
    </message>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="70"/>
        <location filename="../qml/export/exportcontroller.cpp" line="75"/>
        <source>Choose a session to export.</source>
        <translation>Выберите сеанс для экспорта.</translation>
    </message>
    <message>
        <location filename="../qml/export/exportcontroller.cpp" line="117"/>
        <source>The export was cancelled; no file was written.</source>
        <translation>Экспорт отменён, файл не записан.</translation>
    </message>
</context>
<context>
    <name>roomscribe::console::LatencyModel</name>
    <message numerus="yes">
        <location filename="../qml/latency/latencymodel.cpp" line="173"/>
        <source>Gladia reconnected: %n attempt(s)</source>
        <translation>
            <numerusform>Переподключение к Gladia: %n попытка</numerusform>
            <numerusform>Переподключение к Gladia: %n попытки</numerusform>
            <numerusform>Переподключение к Gladia: %n попыток</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="179"/>
        <source>%1 s of audio dropped</source>
        <translation>Потеряно звука: %1 с</translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="240"/>
        <source>Chunking</source>
        <translation>Нарезка</translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="242"/>
        <source>Send</source>
        <translation>Отправка</translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="244"/>
        <source>Ack round trip</source>
        <translation>Подтверждение приёма</translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="246"/>
        <source>STT partial</source>
        <translation>Промежуточное распознавание</translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="248"/>
        <source>STT final</source>
        <translation>Итоговое распознавание</translation>
    </message>
    <message>
        <location filename="../qml/latency/latencymodel.cpp" line="250"/>
        <source>End to end</source>
        <translation>Сквозная задержка</translation>
    </message>
</context>
<context>
    <name>roomscribe::console::MethodNames</name>
    <message>
        <location filename="../qml/rooms/methodnames.cpp" line="9"/>
        <source>Auto</source>
        <translation>Авто</translation>
    </message>
    <message>
        <location filename="../qml/rooms/methodnames.cpp" line="11"/>
        <source>Room mix (composite)</source>
        <translation>Общий микс</translation>
    </message>
    <message>
        <location filename="../qml/rooms/methodnames.cpp" line="13"/>
        <source>Per speaker (track)</source>
        <translation>По дорожкам (каждый говорящий)</translation>
    </message>
    <message>
        <location filename="../qml/rooms/methodnames.cpp" line="15"/>
        <source>Per speaker, no egress (participant)</source>
        <translation>Скрытый участник (без эгресса)</translation>
    </message>
</context>
<context>
    <name>roomscribe::console::RoomListModel</name>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="76"/>
        <source>under a minute</source>
        <translation>меньше минуты</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/roomlistmodel.cpp" line="78"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n мин</numerusform>
            <numerusform>%n мин</numerusform>
            <numerusform>%n мин</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="79"/>
        <source>%1 h %2 min</source>
        <translation>%1 ч %2 мин</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="180"/>
        <source>Idle</source>
        <translation>Не запущена</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="184"/>
        <source>Waiting for the room</source>
        <translation>Ожидание комнаты</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="188"/>
        <source>No one to transcribe</source>
        <translation>Некого расшифровывать</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/rooms/roomlistmodel.cpp" line="196"/>
        <source>Retrying in %n s</source>
        <translation>
            <numerusform>Повтор через %n с</numerusform>
            <numerusform>Повтор через %n с</numerusform>
            <numerusform>Повтор через %n с</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="201"/>
        <source>Queued for egress budget (#%1)</source>
        <translation>В очереди на эгресс (№%1)</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="202"/>
        <source>Queued for egress budget</source>
        <translation>В очереди на эгресс</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="207"/>
        <source>Starting</source>
        <translation>Запускается</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="212"/>
        <source>Reconnecting to Gladia</source>
        <translation>Переподключение к Gladia</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="215"/>
        <source>Live</source>
        <translation>Идёт расшифровка</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="220"/>
        <source>Stopping</source>
        <translation>Останавливается</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="225"/>
        <source>Stopped</source>
        <translation>Остановлена</translation>
    </message>
    <message>
        <location filename="../qml/rooms/roomlistmodel.cpp" line="225"/>
        <source>Failed: %1</source>
        <translation>Сбой: %1</translation>
    </message>
</context>
<context>
    <name>roomscribe::console::SessionListModel</name>
    <message>
        <location filename="../qml/export/sessionlistmodel.cpp" line="18"/>
        <source>%1 h %2 min</source>
        <translation>%1 ч %2 мин</translation>
    </message>
    <message>
        <location filename="../qml/export/sessionlistmodel.cpp" line="22"/>
        <source>%1 min %2 s</source>
        <translation>%1 мин %2 с</translation>
    </message>
    <message>
        <location filename="../qml/export/sessionlistmodel.cpp" line="25"/>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <location filename="../qml/export/sessionlistmodel.cpp" line="180"/>
        <source>live</source>
        <translation>идёт</translation>
    </message>
</context>
<context>
    <name>roomscribe::console::SettingsController</name>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="137"/>
        <source>The LiveKit URL must start with https://, http://, wss:// or ws://.</source>
        <translation>Адрес LiveKit должен начинаться с https://, http://, wss:// или ws://.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="140"/>
        <source>LiveKit needs both the API key and the API secret.</source>
        <translation>Для LiveKit нужны и ключ API, и секрет API.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="144"/>
        <source>The Gladia API URL must start with https:// or http://.</source>
        <translation>Адрес API Gladia должен начинаться с https:// или http://.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="146"/>
        <source>The Gladia region must be us-west or eu-west.</source>
        <translation>Регион Gladia должен быть us-west или eu-west.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="148"/>
        <source>Give at least one language code, such as ru or en.</source>
        <translation>Укажите хотя бы один код языка, например ru или en.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="151"/>
        <source>The audio method must be auto, composite or track.</source>
        <translation>Способ получения звука должен быть «Авто», «Общий микс» или «По дорожкам».</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="153"/>
        <source>The egress limit must be between 0 and 10000.</source>
        <translation>Лимит эгрессов должен быть от 0 до 10000.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="155"/>
        <source>The RTMP address must look like 0.0.0.0:1935.</source>
        <translation>Адрес RTMP должен иметь вид 0.0.0.0:1935.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="157"/>
        <source>The WebSocket address must look like 0.0.0.0:8765, or be empty.</source>
        <translation>Адрес WebSocket должен иметь вид 0.0.0.0:8765 или быть пустым.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="159"/>
        <source>The webhook address must look like 0.0.0.0:8080, or be empty.</source>
        <translation>Адрес вебхуков должен иметь вид 0.0.0.0:8080 или быть пустым.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="161"/>
        <source>The public RTMP URL must look like rtmp://host:1935/live.</source>
        <translation>Публичный адрес RTMP должен иметь вид rtmp://host:1935/live.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="164"/>
        <source>The public WebSocket URL must look like wss://host:8765.</source>
        <translation>Публичный адрес WebSocket должен иметь вид wss://host:8765.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="168"/>
        <source>The database is not usable: %1</source>
        <translation>База данных недоступна: %1</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="170"/>
        <source>The interface language must be English or Russian.</source>
        <translation>Язык интерфейса должен быть английским или русским.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="188"/>
        <source>Settings saved.</source>
        <translation>Настройки сохранены.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="215"/>
        <source>Enter the LiveKit URL, API key and API secret first.</source>
        <translation>Сначала введите адрес LiveKit, ключ API и секрет API.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="224"/>
        <location filename="../qml/settings/settingscontroller.cpp" line="263"/>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/settings/settingscontroller.cpp" line="229"/>
        <source>Connected: %n rooms</source>
        <translation>
            <numerusform>Подключено: %n комната</numerusform>
            <numerusform>Подключено: %n комнаты</numerusform>
            <numerusform>Подключено: %n комнат</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="231"/>
        <source>No answer from LiveKit: %1</source>
        <translation>LiveKit не отвечает: %1</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="234"/>
        <location filename="../qml/settings/settingscontroller.cpp" line="284"/>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1: %2</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="236"/>
        <source>HTTP %1 (%2): %3</source>
        <translation>HTTP %1 (%2): %3</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="247"/>
        <source>Enter the Gladia API key first.</source>
        <translation>Сначала введите ключ API Gladia.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="277"/>
        <source>No answer from Gladia: %1</source>
        <translation>Gladia не отвечает: %1</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="294"/>
        <source>The key works (HTTP %1).</source>
        <translation>Ключ работает (HTTP %1).</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="311"/>
        <source>The key works (HTTP %1); the test session was closed again.</source>
        <translation>Ключ работает (HTTP %1); тестовый сеанс закрыт.</translation>
    </message>
    <message>
        <location filename="../qml/settings/settingscontroller.cpp" line="313"/>
        <source>The key works (HTTP %1), but the test session it opened could not be closed (%2).</source>
        <translation>Ключ работает (HTTP %1), но открытый им тестовый сеанс не удалось закрыть (%2).</translation>
    </message>
</context>
<context>
    <name>roomscribe::console::SettingsStore</name>
    <message>
        <location filename="../qml/settings/consolesettings.cpp" line="121"/>
        <source>The secret service refused access to the keys: %1</source>
        <translation>Хранилище секретов отказало в доступе к ключам: %1</translation>
    </message>
    <message>
        <location filename="../qml/settings/consolesettings.cpp" line="148"/>
        <source>No secret service is available in this session, so keys cannot be stored. Set GLADIA_API_KEY and LIVEKIT_API_KEY/LIVEKIT_API_SECRET in the environment, or use --gladia-key-file.</source>
        <translation>В этом сеансе нет доступного хранилища секретов, поэтому ключи нельзя сохранить. Задайте GLADIA_API_KEY и LIVEKIT_API_KEY/LIVEKIT_API_SECRET в переменных окружения или используйте --gladia-key-file.</translation>
    </message>
    <message>
        <location filename="../qml/settings/consolesettings.cpp" line="197"/>
        <source>The settings file could not be written: %1</source>
        <translation>Не удалось записать файл настроек: %1</translation>
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
        <translation>Не удалось прочитать расшифровки: %1</translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="77"/>
        <source>The database holds no transcripts yet.</source>
        <translation>В базе данных пока нет расшифровок.</translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="96"/>
        <source>There is no session %1 in the database.</source>
        <translation>В базе данных нет сеанса %1.</translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="108"/>
        <source>There is no room &quot;%1&quot; in the database.</source>
        <translation>В базе данных нет комнаты «%1».</translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="113"/>
        <source>Room &quot;%1&quot; has no session %2.</source>
        <translation>У комнаты «%1» нет сеанса %2.</translation>
    </message>
    <message>
        <location filename="../qml/export/storeworker.cpp" line="139"/>
        <location filename="../qml/export/storeworker.cpp" line="149"/>
        <location filename="../qml/export/storeworker.cpp" line="155"/>
        <source>Cannot write %1: %2</source>
        <translation>Не удалось записать %1: %2</translation>
    </message>
</context>
<context>
    <name>roomscribe::console::TranscriptModel</name>
    <message>
        <location filename="../qml/transcript/transcriptmodel.cpp" line="180"/>
        <source>%1 (inferred)</source>
        <translation>%1 (предположительно)</translation>
    </message>
    <message>
        <location filename="../qml/transcript/transcriptmodel.cpp" line="320"/>
        <source>Room mix</source>
        <translation>Общий звук комнаты</translation>
    </message>
    <message>
        <location filename="../qml/transcript/transcriptmodel.cpp" line="320"/>
        <source>Unknown speaker</source>
        <translation>Неизвестный говорящий</translation>
    </message>
</context>
<context>
    <name>roomscribe::ingest::RoomSubscriber</name>
    <message>
        <location filename="../engine/ingest/participant/roomsubscriber.cpp" line="155"/>
        <source>joining as a hidden participant</source>
        <translation>входит скрытым участником</translation>
    </message>
    <message>
        <location filename="../engine/ingest/participant/roomsubscriber.cpp" line="178"/>
        <source>setting up media</source>
        <translation>настраивает медиапоток</translation>
    </message>
    <message>
        <location filename="../engine/ingest/participant/roomsubscriber.cpp" line="250"/>
        <source>WebRTC cannot start: %1</source>
        <translation>WebRTC не запускается: %1</translation>
    </message>
    <message>
        <location filename="../engine/ingest/participant/roomsubscriber.cpp" line="357"/>
        <source>no media from LiveKit within %1 s (is UDP to its media server blocked?)</source>
        <translation>нет медиапотока от LiveKit за %1 с (не закрыт ли UDP к его медиасерверу?)</translation>
    </message>
</context>
<context>
    <name>roomscribe::routing::EgressRouter</name>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="290"/>
        <source>the egress failed: %1</source>
        <translation>эгресс завершился с ошибкой: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="326"/>
        <source>cannot join the room: %1</source>
        <translation>не удаётся войти в комнату: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="381"/>
        <location filename="../engine/routing/egressrouter.cpp" line="401"/>
        <source>cannot take the room without egress: %1</source>
        <translation>комнату не взять без эгресса: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="480"/>
        <source>LiveKit has no such room yet</source>
        <translation>в LiveKit пока нет такой комнаты</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="516"/>
        <source>nobody in the room publishes a microphone</source>
        <translation>в комнате никто не публикует микрофон</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="554"/>
        <source>waiting for the egress budget: LiveKit&apos;s limit is reached</source>
        <translation>ждёт квоты эгрессов: лимит LiveKit исчерпан</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="555"/>
        <source>waiting for the egress budget: %1 of %2 in use</source>
        <translation>ждёт квоты эгрессов: занято %1 из %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../engine/routing/egressrouter.cpp" line="564"/>
        <source>%n speaker(s) wait for the egress budget</source>
        <translation>
            <numerusform>%n говорящий ждёт квоты эгрессов</numerusform>
            <numerusform>%n говорящих ждут квоты эгрессов</numerusform>
            <numerusform>%n говорящих ждут квоты эгрессов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="591"/>
        <source>the ingest cannot take the stream: %1</source>
        <translation>приём не может принять поток: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="650"/>
        <source>the egress did not start: %1</source>
        <translation>эгресс не запустился: %1</translation>
    </message>
    <message>
        <location filename="../engine/routing/egressrouter.cpp" line="721"/>
        <source>%1; retrying in %2 s</source>
        <translation>%1; повтор через %2 с</translation>
    </message>
</context>
<context>
    <name>roomscribe::routing::IngestStreamPort</name>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="42"/>
        <source>joining rooms without egress is off (no LiveKit URL for the ingest)</source>
        <translation>вход в комнаты без эгресса выключен (у приёма нет адреса LiveKit)</translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="87"/>
        <source>the RTMP server refused a new stream</source>
        <translation>RTMP-сервер отказал в новом потоке</translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="101"/>
        <source>the Track Egress endpoint is off (--ws-listen)</source>
        <translation>приём эгресса дорожек выключен (--ws-listen)</translation>
    </message>
    <message>
        <location filename="../engine/routing/ingeststreamport.cpp" line="113"/>
        <source>the ingest refused stream key %1 again</source>
        <translation>приём повторно отказал ключу потока %1</translation>
    </message>
</context>
</TS>
