using AuthServer.Demo;

namespace AuthServer.Cli;

/// <summary><c>authserver demo</c>: the whole handshake and a push and pull, in one process, from nothing.</summary>
internal sealed class DemoCommand(CliContext cli)
{
    public Command Create()
    {
        var mode = RegistryCommand.ModeOption();
        var command = new Command("demo", "Start a token server and the built-in registry on free loopback ports, walk the six steps, push and pull an image")
        {
            mode,
        };
        command.SetAction((parse, ct) => DemoRun.RunAsync(RegistryCommand.ModeOf(parse, mode), cli.Environment.Out, cli.Environment.Error, ct));
        return command;
    }
}
