#pragma once
// The built web app, read once into memory with a gzip copy of each text file; a request never
// touches the file system, so no path can escape the folder.

#include <httplib.h>

#include "core/files.h"

namespace aa::server {

// Serves every file under `root` on GET (/ is /index.html); anything else is a JSON 404.
void serve_static(httplib::Server& http, const fs::path& root);

}  // namespace aa::server
