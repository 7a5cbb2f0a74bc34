#include "app/enginehost.h"
#include "app/exportcommand.h"
#include "app/guifrontend.h"
#include "app/options.h"
#include "app/shutdownsignals.h"
#include "core/logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibrary>

#include <cstdio>
#include <memory>
#include <sys/resource.h>

using namespace roomscribe::app;

// Every stream is a socket: lift the soft descriptor limit to the hard one.
static void raiseDescriptorLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

static GuiFrontend *loadGuiFrontend(QString *error)
{
    // Beside the executable in the build tree, <prefix>/lib/roomscribe when
    // installed; ROOMSCRIBE_GUI_DIR overrides both.
    const QString binDir =
        QFileInfo(QFileInfo(QStringLiteral("/proc/self/exe")).symLinkTarget()).absolutePath();
    QStringList directories{binDir, binDir + QStringLiteral("/../lib/roomscribe")};
    if (qEnvironmentVariableIsSet("ROOMSCRIBE_GUI_DIR"))
        directories.prepend(qEnvironmentVariable("ROOMSCRIBE_GUI_DIR"));
    static QLibrary library;
    for (const QString &directory : std::as_const(directories)) {
        library.setFileName(QDir(directory).filePath(QStringLiteral("libroomscribe-gui.so")));
        if (!library.load())
            continue;
        if (auto entry = reinterpret_cast<RoomscribeGuiFrontendFn>(
                library.resolve("roomscribe_gui_frontend")))
            return entry();
    }
    *error = QStringLiteral("the console (libroomscribe-gui.so) cannot be loaded: %1; "
                            "use --no-gui to run headless")
                 .arg(library.errorString());
    return nullptr;
}

// The engine of one run with its signal handling; stopped() quits the app.
struct EngineRun
{
    explicit EngineRun(const AppOptions &options) : options(options), host(options)
    {
        // Before anything is printed: a test (or systemd) may signal at once.
        QObject::connect(&signals, &ShutdownSignals::shutdownRequested, &host, [this](int number) {
            qCInfo(lcEngine) << "signal" << number << "received: stopping";
            host.stop();
        });
        QObject::connect(&host, &EngineHost::stopped, QCoreApplication::instance(),
                         &QCoreApplication::quit, Qt::QueuedConnection);
    }

    bool start(QString *error)
    {
        if (!host.start(error))
            return false;
        // Publish URLs go to stderr with the logs when stdout carries stats.
        std::FILE *urlOut = options.statsInterval_s > 0 ? stderr : stdout;
        for (const QString &url : host.publishUrls())
            std::fprintf(urlOut, "publish to: %s\n", qPrintable(url));
        std::fflush(urlOut);
        return true;
    }

    AppOptions options;
    ShutdownSignals signals;
    EngineHost host;
};

static int runEngine(QCoreApplication &app, const AppOptions &options)
{
    EngineRun run(options);
    QString error;
    if (!run.start(&error)) {
        std::fprintf(stderr, "roomscribe: %s\n", qPrintable(error));
        return 1;
    }
    return app.exec();
}

int main(int argc, char **argv)
{
    // A command of its own, on a stored database: no engine, no GUI.
    if (isExportCommand(argc, argv))
        return runExportCommand(argc, argv);
    raiseDescriptorLimit();
    const bool headless = wantsHeadless(argc, argv);
    GuiFrontend *gui = nullptr;
    std::unique_ptr<QCoreApplication> app;
    if (headless) {
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        QString error;
        if (!(gui = loadGuiFrontend(&error))) {
            std::fprintf(stderr, "roomscribe: %s\n", qPrintable(error));
            return 1;
        }
        app.reset(gui->createApplication(argc, argv));
    }
    QCoreApplication::setApplicationName(QStringLiteral("roomscribe"));
    QCoreApplication::setOrganizationName(QStringLiteral("Roomscribe"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ROOMSCRIBE_VERSION));

    AppOptions options;
    switch (parseOptions(app->arguments(), &options)) {
    case ParseOutcome::Run:
        break;
    case ParseOutcome::Exit:
        return 0;
    case ParseOutcome::Invalid:
    case ParseOutcome::Error:
        return 2;
    }

    if (!gui)
        return runEngine(*app, options);
    // The console's saved settings lie under the command line: read them
    // (the keychain answers later), parse again, then start.
    const QStringList arguments = app->arguments();
    int status = 0;
    std::unique_ptr<EngineRun> run;
    gui->loadSettings([&](const SettingsLayer &settings) {
        AppOptions layered;
        QString notice;
        if (parseOptions(arguments, &layered, &settings) != ParseOutcome::Run) {
            notice = QStringLiteral("The saved settings were refused (see the log); the "
                                    "console runs with the command line alone.");
            layered = options;
        }
        run = std::make_unique<EngineRun>(layered);
        QString error;
        if (!run->start(&error) || !gui->show(&run->host, layered, notice, &error)) {
            std::fprintf(stderr, "roomscribe: %s\n", qPrintable(error));
            status = 1;
            QCoreApplication::exit(1);
        }
    });
    const int exitCode = app->exec();
    return status ? status : exitCode;
}
