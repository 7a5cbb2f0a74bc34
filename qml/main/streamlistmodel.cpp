#include "streamlistmodel.h"

#include "media/pcmchunk.h"

StreamListModel::StreamListModel(QObject *parent) : QAbstractListModel(parent) {}

int StreamListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant StreamListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const roomscribe::ingest::StreamStats &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case KeyRole:
        return row.key;
    case PublishingRole:
        return row.publishing;
    case FormatRole:
        if (row.inputSampleRate_Hz == 0)
            return QString();
        return tr("AAC %1 kHz, %n channel(s)", nullptr, row.inputChannels)
            .arg(row.inputSampleRate_Hz / 1000.0, 0, 'g', 3);
    case RmsRole:
        return row.rms_dBFS;
    case PeakRole:
        return row.peak_dBFS;
    case AudioSecondsRole:
        return double(row.samplesOut) / roomscribe::media::kOutputSampleRate_Hz;
    case PublishCountRole:
        return row.publishCount;
    case ErrorRole:
        return row.lastError;
    default:
        return {};
    }
}

QHash<int, QByteArray> StreamListModel::roleNames() const
{
    return {{KeyRole, "key"},
            {PublishingRole, "publishing"},
            {FormatRole, "format"},
            {RmsRole, "rms"},
            {PeakRole, "peak"},
            {AudioSecondsRole, "audioSeconds"},
            {PublishCountRole, "publishCount"},
            {ErrorRole, "error"}};
}

QObject *StreamListModel::backend() const
{
    return m_backend;
}

// The backend's one stats collection serves every view.
void StreamListModel::setBackend(QObject *backend)
{
    if (!roomscribe::console::switchBackend(this, m_backend, backend))
        return;
    if (m_backend)
        connect(m_backend, &roomscribe::console::ConsoleBackend::statsUpdated, this,
                [this] { apply(m_backend->stats()); });
    Q_EMIT backendChanged();
}

void StreamListModel::apply(const roomscribe::ingest::IngestStats &stats)
{
    for (const roomscribe::ingest::StreamStats &stream : stats.streams) {
        const QString path = stream.app + u'/' + stream.key;
        const auto found = m_rowOfPath.constFind(path);
        if (found == m_rowOfPath.constEnd()) {
            const int row = int(m_rows.size());
            beginInsertRows({}, row, row);
            m_rows.push_back(stream);
            m_rowOfPath.insert(path, row);
            endInsertRows();
        } else {
            m_rows[size_t(*found)] = stream;
            const QModelIndex changed = index(*found);
            Q_EMIT dataChanged(changed, changed);
        }
    }
    m_publishing = stats.publishers;
    m_connections = stats.connections;
    m_latencyText = stats.chunkLatency.count() == 0
                        ? QString()
                        : tr("chunk latency p50 %1 ms, p99 %2 ms")
                              .arg(stats.chunkLatency.percentile_us(0.5) / 1000.0, 0, 'f', 2)
                              .arg(stats.chunkLatency.percentile_us(0.99) / 1000.0, 0, 'f', 2);
    Q_EMIT countsChanged();
}
