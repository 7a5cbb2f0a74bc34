#pragma once

#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QTranslator>
#include <QVariantMap>

class QQmlEngine;
class QQuickWindow;

namespace roomscribe::app {

// What the console's QML asks of the application itself: the interface
// language (switched live), a restart that applies saved settings, and the
// facts of this run the views need (the database, a start-up notice).
class ConsoleUi final : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString language READ language NOTIFY languageChanged)
    Q_PROPERTY(QString notice READ notice CONSTANT)
    Q_PROPERTY(QString database READ database CONSTANT)
    Q_PROPERTY(bool configured READ configured CONSTANT)
public:
    ConsoleUi(QString notice, QString database, bool configured, QObject *parent = nullptr);

    // "" follows the system locale; "en" and "ru" are shipped.
    QString language() const { return m_language; }
    QString notice() const { return m_notice; }
    QString database() const { return m_database; }
    // LiveKit or Gladia is set up (by settings, environment or command line).
    bool configured() const { return m_configured; }

    // Installs the translation; with an engine, its bindings are retranslated.
    Q_INVOKABLE void setLanguage(const QString &code);
    void setEngine(QQmlEngine *engine) { m_engine = engine; }
    void setWindow(QQuickWindow *window) { m_window = window; }
    // The whole window as drawn, to a PNG (documentation, tours); false if it cannot be written.
    Q_INVOKABLE bool saveScreenshot(const QString &path) const;
    // Stops the engine, then starts this program again with the same
    // arguments; environment adds variables to the new run (what the
    // operator typed but could not store without a secret service).
    Q_INVOKABLE void restart(const QVariantMap &environment = {});

Q_SIGNALS:
    void languageChanged();
    void restartRequested(const QProcessEnvironment &environment);

private:
    QString m_language = QStringLiteral("-");
    QString m_notice;
    QString m_database;
    bool m_configured;
    QTranslator m_translator;
    QQmlEngine *m_engine = nullptr;
    QQuickWindow *m_window = nullptr;
};

} // namespace roomscribe::app
