#include "store/overflowjournal.h"

#include "core/logging.h"

#include <QDir>
#include <QFileInfo>

namespace roomscribe::store {

OverflowJournal::OverflowJournal(const QString &path) : m_path(path) {}

bool OverflowJournal::openForAppend(QString *error)
{
    if (m_appendFile.isOpen())
        return true;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    m_appendFile.setFileName(m_path);
    if (!m_appendFile.open(QIODevice::WriteOnly | QIODevice::Append)) {
        *error = QStringLiteral("cannot write the overflow journal %1: %2")
                     .arg(m_path, m_appendFile.errorString());
        return false;
    }
    // A line cut short when a process died while writing it stays a line of
    // its own (skipped at replay) instead of swallowing the next record.
    if (m_appendFile.size() > 0) {
        QFile tail(m_path);
        if (tail.open(QIODevice::ReadOnly) && tail.seek(tail.size() - 1) &&
            tail.read(1) != QByteArrayLiteral("\n"))
            m_appendFile.write("\n");
    }
    return true;
}

void OverflowJournal::countPending()
{
    if (m_pending >= 0)
        return;
    m_pending = 0;
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(m_replayOffset))
        return;
    while (!file.atEnd()) {
        const QByteArray block = file.read(1 << 20);
        if (block.isEmpty())
            break;
        m_pending += block.count('\n');
    }
}

bool OverflowJournal::append(const std::deque<StoreItem> &items, size_t count, QString *error)
{
    QByteArray lines;
    for (size_t i = 0; i < count && i < items.size(); ++i)
        lines += toJournalLine(items[i]);
    QMutexLocker lock(&m_mutex);
    countPending();
    if (!openForAppend(error))
        return false;
    if (m_appendFile.write(lines) != lines.size() || !m_appendFile.flush()) {
        *error = QStringLiteral("cannot write the overflow journal %1: %2")
                     .arg(m_path, m_appendFile.errorString());
        m_appendFile.close();
        return false;
    }
    m_pending += qint64(std::min(count, items.size()));
    return true;
}

bool OverflowJournal::append(const StoreItem &item, QString *error)
{
    return append(std::deque<StoreItem>{item}, 1, error);
}

qint64 OverflowJournal::pending()
{
    QMutexLocker lock(&m_mutex);
    countPending();
    return m_pending;
}

bool OverflowJournal::read(int maxItems, Chunk *chunk, QString *error)
{
    *chunk = Chunk();
    QMutexLocker lock(&m_mutex);
    countPending();
    chunk->end = m_replayOffset;
    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly) || !file.seek(m_replayOffset)) {
        *error = QStringLiteral("cannot read the overflow journal %1: %2")
                     .arg(m_path, file.errorString());
        return false;
    }
    while (int(chunk->items.size()) < maxItems && !file.atEnd()) {
        const QByteArray line = file.readLine();
        if (line.isEmpty())
            break;
        chunk->end += line.size();
        ++chunk->lines;
        if (std::optional<StoreItem> item = fromJournalLine(line))
            chunk->items.push_back(std::move(*item));
        else if (!line.trimmed().isEmpty())
            qCWarning(lcStore).noquote()
                << QStringLiteral("overflow journal %1: skipped a line that is not a record "
                                  "(at byte %2)")
                       .arg(m_path)
                       .arg(chunk->end - line.size());
    }
    return true;
}

void OverflowJournal::markReplayed(const Chunk &chunk)
{
    QMutexLocker lock(&m_mutex);
    m_replayOffset = chunk.end;
    // A torn last line without "\n" is not counted as pending.
    m_pending = std::max<qint64>(0, m_pending - chunk.lines);
    if (m_replayOffset < QFileInfo(m_path).size())
        return;
    m_appendFile.close();
    if (QFile::exists(m_path) && !QFile::remove(m_path)) {
        // Replayed again next time: harmless, as replays are idempotent.
        qCWarning(lcStore).noquote()
            << QStringLiteral("cannot remove the replayed overflow journal %1").arg(m_path);
        return;
    }
    m_replayOffset = 0;
    m_pending = 0;
}

} // namespace roomscribe::store
