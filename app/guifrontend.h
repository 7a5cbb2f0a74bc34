#pragma once

#include <QString>

class QCoreApplication;

namespace roomscribe::app {

class EngineHost;

// What the executable asks of the GUI plugin (libroomscribe-gui.so), which it
// loads only when a window is wanted: headless runs never map Qt Gui or QML.
class GuiFrontend
{
public:
    virtual ~GuiFrontend() = default;
    virtual QCoreApplication *createApplication(int &argc, char **argv) = 0;
    // Opens the console for a started engine; closing the last window asks
    // the host to stop. False, with a reason, when the QML cannot load.
    virtual bool show(EngineHost *host, QString *error) = 0;
};

} // namespace roomscribe::app

// The plugin's one exported symbol.
extern "C" roomscribe::app::GuiFrontend *roomscribe_gui_frontend();
using RoomscribeGuiFrontendFn = roomscribe::app::GuiFrontend *(*)();
