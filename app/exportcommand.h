#pragma once

namespace roomscribe::app {

// "roomscribe export ...": writes a stored room session to a file, or lists
// the rooms and sessions of a database. It runs before (and instead of) the
// engine, on the database of a running engine or a stopped one.
bool isExportCommand(int argc, char **argv);

// Exit codes: 0 done; 1 the database or the output file failed; 2 a usage
// error, or an unknown room or session.
int runExportCommand(int argc, char **argv);

} // namespace roomscribe::app
