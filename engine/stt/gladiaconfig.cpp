#include "stt/gladiaconfig.h"

#include <QJsonArray>
#include <QUrlQuery>

namespace roomscribe::stt {

QUrl gladiaInitUrl(const GladiaConfig &config)
{
    QUrl url = config.apiUrl;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + QStringLiteral("/v2/live"));
    QUrlQuery query;
    if (!config.region.isEmpty())
        query.addQueryItem(QStringLiteral("region"), config.region);
    url.setQuery(query);
    return url;
}

QJsonObject gladiaInitBody(const GladiaConfig &config)
{
    QJsonObject body{
        {QStringLiteral("encoding"), QStringLiteral("wav/pcm")},
        {QStringLiteral("bit_depth"), config.bitDepth},
        {QStringLiteral("sample_rate"), config.sampleRate_Hz},
        {QStringLiteral("channels"), config.channels},
        {QStringLiteral("language_config"),
         QJsonObject{{QStringLiteral("languages"), QJsonArray::fromStringList(config.languages)},
                     {QStringLiteral("code_switching"), config.codeSwitching}}},
        // Acknowledgements are what resume depends on; the rest is what the
        // client reports.
        {QStringLiteral("messages_config"),
         QJsonObject{{QStringLiteral("receive_partial_transcripts"), true},
                     {QStringLiteral("receive_final_transcripts"), true},
                     {QStringLiteral("receive_speech_events"), true},
                     {QStringLiteral("receive_acknowledgments"), true},
                     {QStringLiteral("receive_errors"), true},
                     {QStringLiteral("receive_lifecycle_events"), true}}},
    };
    if (!config.model.isEmpty())
        body.insert(QStringLiteral("model"), config.model);
    if (config.endpointing_s)
        body.insert(QStringLiteral("endpointing"), *config.endpointing_s);
    if (!config.customMetadata.isEmpty())
        body.insert(QStringLiteral("custom_metadata"), config.customMetadata);
    return body;
}

} // namespace roomscribe::stt
