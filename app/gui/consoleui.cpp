#include "app/gui/consoleui.h"

#include <QCoreApplication>
#include <QImage>
#include <QLocale>
#include <QQmlEngine>
#include <QQuickWindow>

namespace roomscribe::app {

ConsoleUi::ConsoleUi(QString notice, QString database, bool configured, QObject *parent)
    : QObject(parent), m_notice(std::move(notice)), m_database(std::move(database)),
      m_configured(configured)
{
}

void ConsoleUi::setLanguage(const QString &code)
{
    if (code == m_language)
        return;
    QCoreApplication::removeTranslator(&m_translator);
    const QString directory = QStringLiteral(":/i18n");
    const QString prefix = QStringLiteral("roomscribe");
    // English (with its plural forms) unless the chosen or system language has its own.
    const bool loaded =
        (code.isEmpty() ? m_translator.load(QLocale(), prefix, QStringLiteral("_"), directory)
                        : m_translator.load(prefix + u'_' + code, directory)) ||
        m_translator.load(prefix + QStringLiteral("_en"), directory);
    if (loaded)
        QCoreApplication::installTranslator(&m_translator);
    m_language = code;
    if (m_engine)
        m_engine->retranslate();
    Q_EMIT languageChanged();
}

bool ConsoleUi::saveScreenshot(const QString &path) const
{
    return m_window && m_window->grabWindow().save(path, "PNG");
}

void ConsoleUi::restart(const QVariantMap &environment)
{
    QProcessEnvironment next = QProcessEnvironment::systemEnvironment();
    for (auto it = environment.cbegin(); it != environment.cend(); ++it) {
        if (!it.value().toString().isEmpty())
            next.insert(it.key(), it.value().toString());
    }
    Q_EMIT restartRequested(next);
}

} // namespace roomscribe::app
