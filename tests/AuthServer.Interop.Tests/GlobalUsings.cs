// Temp dirs, free ports, processes and tools, shared with the interop suite.
global using AuthServer.TestSupport;
