using AuthServer.Cli;

return await CliApp.RunAsync(args);
