using AuthServer.Cli;
using AuthServer.Hosting;

// Before the thread pool allocates natively, so the limit holds from the first request.
MallocArenas.LimitToCores();
return await CliApp.RunAsync(args);
