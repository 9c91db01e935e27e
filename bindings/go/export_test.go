package ftp

// LiveHandles is the number of native handles (sessions, open transfers,
// pools) the package holds, for leak tests.
func LiveHandles() int64 { return liveHandles.Load() }
