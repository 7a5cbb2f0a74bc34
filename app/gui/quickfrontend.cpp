#include "app/enginehost.h"
#include "app/guifrontend.h"

#include <QGuiApplication>
#include <QLocale>
#include <QQmlApplicationEngine>
#include <QTranslator>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Roomscribe_MainPlugin)

namespace roomscribe::app {
namespace {

class QuickFrontend final : public GuiFrontend
{
public:
    QCoreApplication *createApplication(int &argc, char **argv) override
    {
        auto *app = new QGuiApplication(argc, argv);
        auto *translator = new QTranslator(app);
        // English (with its plural forms) unless the locale has its own.
        if (translator->load(QLocale(), QStringLiteral("roomscribe"), QStringLiteral("_"),
                             QStringLiteral(":/i18n")) ||
            translator->load(QStringLiteral("roomscribe_en"), QStringLiteral(":/i18n")))
            QCoreApplication::installTranslator(translator);
        return app;
    }

    bool show(EngineHost *host, QString *error) override
    {
        auto *engine = new QQmlApplicationEngine;
        // The window goes before the engine it shows: bindings never see a dead host.
        QObject::connect(host, &EngineHost::stopped, engine, &QObject::deleteLater);
        engine->setInitialProperties(
            {{QStringLiteral("host"), QVariant::fromValue<QObject *>(host)}});
        engine->load(QUrl(QStringLiteral("qrc:/Roomscribe/Main/Main.qml")));
        if (engine->rootObjects().isEmpty()) {
            *error = QStringLiteral("the console window could not be loaded");
            return false;
        }
        // Closing the window stops the engine first; the host quits when it is done.
        QGuiApplication::setQuitOnLastWindowClosed(false);
        QObject::connect(qGuiApp, &QGuiApplication::lastWindowClosed, host, &EngineHost::stop);
        return true;
    }
};

} // namespace
} // namespace roomscribe::app

extern "C" Q_DECL_EXPORT roomscribe::app::GuiFrontend *roomscribe_gui_frontend()
{
    static roomscribe::app::QuickFrontend frontend;
    return &frontend;
}
