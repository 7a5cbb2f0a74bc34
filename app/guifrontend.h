#pragma once

#include <QString>

#include <functional>

class QCoreApplication;

namespace roomscribe::app {

class EngineHost;
struct AppOptions;
struct SettingsLayer;

// What the executable asks of the GUI plugin (libroomscribe-gui.so), which it
// loads only when a window is wanted: headless runs never map Qt Gui or QML.
class GuiFrontend
{
public:
    virtual ~GuiFrontend() = default;
    virtual QCoreApplication *createApplication(int &argc, char **argv) = 0;
    // Reads the console's saved settings (secrets from the keychain, which
    // answers asynchronously); done() runs later on this thread.
    virtual void loadSettings(std::function<void(const SettingsLayer &settings)> done) = 0;
    // Opens the console for a started engine; closing the last window asks
    // the host to stop. notice: what the operator must hear at once (saved
    // settings that were refused). False, with a reason, when the QML cannot load.
    virtual bool show(EngineHost *host, const AppOptions &options, const QString &notice,
                      QString *error) = 0;
};

} // namespace roomscribe::app

// The plugin's one exported symbol.
extern "C" roomscribe::app::GuiFrontend *roomscribe_gui_frontend();
using RoomscribeGuiFrontendFn = roomscribe::app::GuiFrontend *(*)();
