// Qt Quick Tests of the console's components (tests/quick/tst_*.qml), with
// every view module linked in statically.
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

#include "roomscribe_qml_imports.inc"

class QuickTestSetup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    // The views' qmldir files live under qrc:/ (Qt 6.4 puts no prefix there).
    void qmlEngineAvailable(QQmlEngine *engine) { engine->addImportPath(QStringLiteral("qrc:/")); }
};

QUICK_TEST_MAIN_WITH_SETUP(roomscribe_console, QuickTestSetup)
#include "tst_quick.moc"
