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

    EngineHost host(options);
    // Before anything is printed: a test (or systemd) may signal at once.
    ShutdownSignals signals;
    QObject::connect(&signals, &ShutdownSignals::shutdownRequested, &host, [&host](int number) {
        qCInfo(lcEngine) << "signal" << number << "received: stopping";
        host.stop();
    });
    QString error;
    if (!host.start(&error)) {
        std::fprintf(stderr, "roomscribe: %s\n", qPrintable(error));
        return 1;
    }
    // Publish URLs go to stderr with the logs when stdout carries stats.
    std::FILE *urlOut = options.statsInterval_s > 0 ? stderr : stdout;
    for (const QString &url : host.publishUrls())
        std::fprintf(urlOut, "publish to: %s\n", qPrintable(url));
    std::fflush(urlOut);

    QObject::connect(&host, &EngineHost::stopped, app.get(), &QCoreApplication::quit,
                     Qt::QueuedConnection);

    if (gui && !gui->show(&host, &error)) {
        std::fprintf(stderr, "roomscribe: %s\n", qPrintable(error));
        return 1;
    }
    return app->exec();
}
