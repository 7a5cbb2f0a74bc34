#include "routing/egressledger.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace roomscribe::routing {

namespace {

constexpr int kFormatVersion = 1;

QJsonObject toJson(const EgressRecord &record)
{
    const StreamEndpoint &stream = record.stream;
    return {{QStringLiteral("egress_id"), record.egressId},
            {QStringLiteral("method"), methodName(record.method)},
            {QStringLiteral("app"), stream.app},
            {QStringLiteral("key"), stream.key},
            {QStringLiteral("url"), stream.url.toString()},
            {QStringLiteral("room"), stream.label.room},
            {QStringLiteral("participant"), stream.label.participant},
            {QStringLiteral("track_sid"), stream.label.trackSid},
            {QStringLiteral("started_at_ms"), double(record.startedAt_ms)},
            {QStringLiteral("stop_pending"), record.stopPending}};
}

std::optional<EgressRecord> fromJson(const QJsonObject &object)
{
    EgressRecord record;
    record.egressId = object.value(QStringLiteral("egress_id")).toString();
    record.method =
        parseMethod(object.value(QStringLiteral("method")).toString()).value_or(Method::Invalid);
    StreamEndpoint &stream = record.stream;
    stream.app = object.value(QStringLiteral("app")).toString();
    stream.key = object.value(QStringLiteral("key")).toString();
    stream.url = QUrl(object.value(QStringLiteral("url")).toString());
    stream.label.room = object.value(QStringLiteral("room")).toString();
    stream.label.participant = object.value(QStringLiteral("participant")).toString();
    stream.label.trackSid = object.value(QStringLiteral("track_sid")).toString();
    record.startedAt_ms = qint64(object.value(QStringLiteral("started_at_ms")).toDouble());
    record.stopPending = object.value(QStringLiteral("stop_pending")).toBool();
    const bool methodOk = record.method == Method::Composite || record.method == Method::Track;
    if (record.egressId.isEmpty() || !methodOk || !stream.isValid())
        return std::nullopt;
    return record;
}

} // namespace

EgressLedger::EgressLedger(QString path) : m_path(std::move(path)) {}

bool EgressLedger::load(QString *error)
{
    m_records.clear();
    if (m_path.isEmpty())
        return true;
    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        *error =
            QStringLiteral("%1 is not an egress ledger: %2").arg(m_path, parseError.errorString());
        return false;
    }
    const QJsonArray egresses = document.object().value(QStringLiteral("egresses")).toArray();
    for (const QJsonValue &value : egresses) {
        if (const auto record = fromJson(value.toObject()))
            m_records.insert(record->egressId, *record);
        else
            qCWarning(lcRouting) << "ignoring an incomplete egress record in" << m_path;
    }
    return true;
}

void EgressLedger::put(const EgressRecord &record)
{
    m_records.insert(record.egressId, record);
    save();
}

void EgressLedger::remove(const QString &egressId)
{
    if (m_records.remove(egressId))
        save();
}

void EgressLedger::save()
{
    if (m_path.isEmpty())
        return;
    QJsonArray egresses;
    for (const EgressRecord &record : std::as_const(m_records))
        egresses.append(toJson(record));
    const QJsonObject document{{QStringLiteral("version"), kFormatVersion},
                               {QStringLiteral("egresses"), egresses}};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    // A failed write costs only the adoption after a crash: say so, go on.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(QJsonDocument(document).toJson()) < 0 || !file.commit())
        qCWarning(lcRouting) << "cannot write the egress ledger" << m_path << ":"
                             << file.errorString()
                             << "(egresses would not be adopted after a crash)";
}

} // namespace roomscribe::routing
