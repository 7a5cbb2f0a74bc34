#include "app/enginehost.h"
#include "app/gui/consoleui.h"
#include "app/guifrontend.h"
#include "app/options.h"
#include "consolebackend.h"
#include "consolesettings.h"
#include "core/logging.h"
#include "store/storeconfig.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickWindow>
#include <QtQml/qqmlextensionplugin.h>

#include "roomscribe_qml_imports.inc"

namespace roomscribe::app {
namespace {

class QuickFrontend final : public GuiFrontend
{
public:
    QCoreApplication *createApplication(int &argc, char **argv) override
    {
        // Qt Quick's own raster renderer redraws only what changed. Without a
        // GPU (VMs, remote desktops) OpenGL falls back to llvmpipe, which
        // redraws the whole window on the CPU each frame: slower frames, more
        // CPU and 100 MiB more (bench/results/console-*.md). The environment
        // can still choose: QSG_RHI_BACKEND=opengl, QT_QUICK_BACKEND.
        if (!qEnvironmentVariableIsSet("QSG_RHI_BACKEND") &&
            !qEnvironmentVariableIsSet("QT_QUICK_BACKEND"))
            QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
        return new QGuiApplication(argc, argv);
    }

    void loadSettings(std::function<void(const SettingsLayer &settings)> done) override
    {
        auto *store = new console::SettingsStore(qApp);
        store->read([this, store, done](const console::ConsoleSettings &settings,
                                        const QString &secretError) {
            if (!secretError.isEmpty())
                qCInfo(lcEngine).noquote() << "saved secrets not read:" << secretError;
            m_language = settings.uiLanguage;
            done(layerOf(settings));
            store->deleteLater();
        });
    }

    bool show(EngineHost *host, const AppOptions &options, const QString &notice,
              QString *error) override
    {
        auto *engine = new QQmlApplicationEngine;
        // The window goes before the engine it shows: bindings never see a dead host.
        QObject::connect(host, &EngineHost::stopped, engine, &QObject::deleteLater);
        const QString database =
            options.store.database.isEmpty() ? store::defaultSqlitePath() : options.store.database;
        auto *ui = new ConsoleUi(notice, options.storeFinals ? database : QString(),
                                 options.liveKit.enabled || options.transcribe, engine);
        ui->setLanguage(m_language);
        ui->setEngine(engine);
        auto *backend =
            new console::ConsoleBackend(host->ingest(), host->roomControl(), host->transcriptFeed(),
                                        host->publishUrls(), host->transcribing(), engine);
        QObject::connect(ui, &ConsoleUi::restartRequested, host,
                         [host](const QProcessEnvironment &environment) {
                             qCInfo(lcEngine) << "restarting to apply the settings";
                             QObject::connect(host, &EngineHost::stopped, qApp, [environment] {
                                 QProcess next;
                                 next.setProgram(QCoreApplication::applicationFilePath());
                                 next.setArguments(QCoreApplication::arguments().mid(1));
                                 next.setProcessEnvironment(environment);
                                 next.startDetached();
                             });
                             host->stop();
                         });
        engine->addImportPath(QStringLiteral("qrc:/"));
        engine->setInitialProperties(
            {{QStringLiteral("backend"), QVariant::fromValue<QObject *>(backend)},
             {QStringLiteral("ui"), QVariant::fromValue<QObject *>(ui)}});
        engine->load(QUrl(QStringLiteral("qrc:/Roomscribe/Main/Main.qml")));
        if (engine->rootObjects().isEmpty()) {
            *error = QStringLiteral("the console window could not be loaded");
            return false;
        }
        ui->setWindow(qobject_cast<QQuickWindow *>(engine->rootObjects().constFirst()));
        // Closing the window stops the engine first; the host quits when it is done.
        QGuiApplication::setQuitOnLastWindowClosed(false);
        QObject::connect(qGuiApp, &QGuiApplication::lastWindowClosed, host, &EngineHost::stop);
        if (!options.guiScript.isEmpty() &&
            !runScript(engine, options.guiScript, {backend, ui}, error))
            return false;
        return true;
    }

private:
    // Saved settings as options beneath the command line and environment.
    static SettingsLayer layerOf(const console::ConsoleSettings &settings)
    {
        SettingsLayer layer;
        auto variable = [&](const char *name, const QString &value) {
            if (!value.isEmpty())
                layer.environment.insert(name, value.toUtf8());
        };
        variable("LIVEKIT_URL", settings.liveKitUrl);
        variable("LIVEKIT_API_KEY", settings.liveKitApiKey);
        variable("LIVEKIT_API_SECRET", settings.liveKitApiSecret);
        variable("GLADIA_API_KEY", settings.gladiaApiKey);
        variable("GLADIA_API_URL", settings.gladiaApiUrl);
        const console::ConsoleSettings defaults;
        auto option = [&](const char *name, const QString &value, const QString &fallback) {
            // A default is left out, so RTMP_PORT and the like still apply.
            if (!value.isEmpty() && value != fallback)
                layer.arguments << QStringLiteral("--") + QLatin1String(name) << value;
        };
        option("gladia-region", settings.gladiaRegion, QString());
        option("languages", settings.languages.join(u','), defaults.languages.join(u','));
        option("method", settings.defaultMethod, defaults.defaultMethod);
        option("egress-limit", QString::number(settings.egressLimit),
               QString::number(defaults.egressLimit));
        option("rtmp-listen", settings.rtmpListen, defaults.rtmpListen);
        option("ws-listen", settings.wsListen, QString());
        option("webhook-listen", settings.webhookListen, QString());
        option("rtmp-public-url", settings.rtmpPublicUrl, QString());
        option("ws-public-url", settings.wsPublicUrl, QString());
        option("db", settings.database, QString());
        if (settings.autoStart)
            layer.arguments << QStringLiteral("--auto");
        return layer;
    }

    // The script is a QML component given the window, backend and ui.
    static bool runScript(QQmlApplicationEngine *engine, const QString &path,
                          std::pair<QObject *, QObject *> backendAndUi, QString *error)
    {
        QObject *window = engine->rootObjects().constFirst();
        QQmlComponent component(engine, QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()));
        QObject *script = component.createWithInitialProperties(
            {{QStringLiteral("window"), QVariant::fromValue(window)},
             {QStringLiteral("backend"), QVariant::fromValue(backendAndUi.first)},
             {QStringLiteral("ui"), QVariant::fromValue(backendAndUi.second)}});
        if (!script) {
            *error = QStringLiteral("--gui-script %1: %2").arg(path, component.errorString());
            return false;
        }
        script->setParent(window);
        return true;
    }

    QString m_language; // from the saved settings: "" follows the system
};

} // namespace
} // namespace roomscribe::app

extern "C" Q_DECL_EXPORT roomscribe::app::GuiFrontend *roomscribe_gui_frontend()
{
    static roomscribe::app::QuickFrontend frontend;
    return &frontend;
}
